/*
 * efi_udp.c - the pxe_udp.h interface under syslinux.efi, over the
 * firmware's EFI_UDP4_PROTOCOL, so that mboot's own TFTP client (tftp.c)
 * reads files on UEFI as it does on BIOS.
 *
 * One UDP4 child of the NIC syslinux.efi booted from is made on first use
 * (through that NIC's EFI_UDP4_SERVICE_BINDING_PROTOCOL) and configured
 * with AcceptAnyPort: every datagram for our address comes in whatever its
 * destination port, so the client's random local ports need no binding of
 * their own; each datagram sent names its source port (UdpSessionData).
 *
 * Nothing here waits for the firmware.  RX_TOKENS receive tokens are kept
 * armed; every call polls the child (Poll) and moves the datagrams of the
 * completed tokens into a small queue of our own (then hands each buffer
 * back at once, RecycleSignal, and re-arms the token), so that
 * pxe_udp_recv_to(dport) can pick the oldest datagram for its port while
 * datagrams for other ports wait.  Sends copy the datagram into one of
 * TX_SLOTS slots, whose token completes on its own later.
 *
 * syslinux.efi fills no IP information for modules (its
 * get_derivative_info sets only the file system: pxe.ipinfo stays NULL,
 * and fetch_make_url reads the boot server from it), so on first use the
 * one PXELINUX would give is made here from the PXE base code's packets,
 * the way syslinux.efi reads them itself (efi/pxe.c: the ACK, then a
 * proxy offer or PXE reply overriding the server), and put in libcom32's
 * derivative information until the shutdown.
 *
 * The child is torn down (Configure(NULL), DestroyChild) by
 * efi_udp_shutdown(), which fw_efi.c calls before the kernel is entered
 * and when the module gives everything back (fw_release).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifdef __FIRMWARE_EFI64__

#include <stdio.h>
#include <string.h>
#include <syslinux/config.h>
#include <efi.h>
#include "pxe_udp.h"

/* From fw_efi.c: the tables it found (NULL before fw_init), -verbose. */
EFI_SYSTEM_TABLE *fw_efi_system_table(void);
EFI_HANDLE fw_efi_image_handle(void);
int fw_efi_verbose(void);
void efi_udp_shutdown(void);

/* Receive tokens kept armed: datagrams the firmware can hand over between
 * two of our polls.  A TFTP window of the client is at most a few dozen
 * blocks; what does not fit waits in the UDP4 driver's own queue. */
#define RX_TOKENS	32
/* Datagrams copied out and not yet taken (the oldest goes when full). */
#define QUEUE_SLOTS	64
/* Datagrams being sent at once (ACKs and requests: small, quick). */
#define TX_SLOTS	16
/* How long a send waits for a free slot, and Configure for an address. */
#define TX_WAIT_US	200000u
#define MAP_WAIT_US	3000000u

static EFI_GUID udp4_sb_guid = EFI_UDP4_SERVICE_BINDING_PROTOCOL;
static EFI_GUID udp4_guid = EFI_UDP4_PROTOCOL;
static EFI_GUID pxe_bc_guid = EFI_PXE_BASE_CODE_PROTOCOL_GUID;
static EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID dp_guid = DEVICE_PATH_PROTOCOL;

/** A datagram in our queue. */
struct dgram {
	int used;		/* holds a datagram */
	uint64_t seq;		/* arrival order */
	uint32_t src_ip;	/* network order */
	uint16_t sport, dport;	/* host order */
	uint32_t len;
	uint8_t *data;		/* PXE_UDP_MAX bytes */
};

/** A send in flight: its token and the copy of the datagram. */
struct tx_slot {
	EFI_UDP4_COMPLETION_TOKEN tok;
	EFI_UDP4_TRANSMIT_DATA td;
	EFI_UDP4_SESSION_DATA sd;
	int busy;
	uint8_t *data;		/* PXE_UDP_MAX bytes */
};

static EFI_BOOT_SERVICES *bs;
static EFI_RUNTIME_SERVICES *rs;
static EFI_PXE_BASE_CODE_MODE *pxe_mode;	/* its DHCP ACK, address */
static uint32_t dhcp_opt4(const void *pkt, uint8_t opt);
static EFI_SERVICE_BINDING *sb;
static EFI_HANDLE child;
static EFI_UDP4 *udp;
static int checked, usable, configured;
static uint32_t my_ip, netmask;
static EFI_IPv4_ADDRESS gateway;	/* 0.0.0.0: none */

static EFI_UDP4_COMPLETION_TOKEN rx[RX_TOKENS];
static int rx_armed[RX_TOKENS];
static unsigned rx_next;		/* the oldest armed token */
static struct dgram queue[QUEUE_SLOTS];
static struct dgram *lent;		/* returned by the last recv */
static uint64_t seq;
static struct tx_slot tx[TX_SLOTS];
static uint8_t *pool;			/* AllocatePool: every data buffer */
static struct syslinux_ipinfo ipinfo;	/* what pxe.ipinfo points to */
/* For -verbose at the shutdown: datagrams taken, and lost here (queue
 * full, too long, a receive error), sends refused or without a slot. */
static struct {
	uint64_t rx, evicted, too_long, rx_errors, tx, tx_failed;
} stats;
static int ipinfo_set;

/** The CPU's time-stamp counter. */
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/** Microseconds, roughly: for the few bounded waits here (Stall paces). */
static void stall_us(unsigned us)
{
	bs->Stall(us);
}

/** A token's Status as the firmware last wrote it (it may do so from its
 * timer callbacks while we run, hence the volatile read). */
static EFI_STATUS tok_status(const EFI_UDP4_COMPLETION_TOKEN *t)
{
	return *(volatile const EFI_STATUS *)&t->Status;
}

/** Bytes of a device path up to (not counting) its end node; 0 if odd. */
static UINTN dp_len(const EFI_DEVICE_PATH *p)
{
	const uint8_t *b = (const uint8_t *)p, *s = b;

	for (unsigned n = 0; n < 64; n++) {
		unsigned len = b[2] | b[3] << 8;
		if ((b[0] & 0x7f) == END_DEVICE_PATH_TYPE)
			return (UINTN)(b - s);
		if (len < 4)
			return 0;
		b += len;
	}
	return 0;
}

/**
 * The handle of the NIC syslinux.efi was loaded from that carries the
 * UDP4 service binding: the loaded image's DeviceHandle itself, else the
 * binding handle whose device path begins the DeviceHandle's (OVMF loads
 * from the PXE child, MAC(..)/IPv4(..), the binding sits on MAC(..));
 * else, with only one binding handle, that one.  NULL if none.
 */
static EFI_HANDLE find_nic(EFI_HANDLE dev)
{
	EFI_HANDLE *h = NULL, found = NULL;
	UINTN n = 0, best = 0;
	void *p = NULL;
	EFI_DEVICE_PATH *mine = NULL;

	if (dev && bs->HandleProtocol(dev, &udp4_sb_guid, &p) == EFI_SUCCESS)
		return dev;
	if (bs->LocateHandleBuffer(ByProtocol, &udp4_sb_guid, NULL, &n,
				   &h) != EFI_SUCCESS)
		return NULL;
	if (dev)
		bs->HandleProtocol(dev, &dp_guid, (void **)&mine);
	UINTN mlen = mine ? dp_len(mine) : 0;
	for (UINTN i = 0; i < n; i++) {
		EFI_DEVICE_PATH *d = NULL;
		if (!mlen || bs->HandleProtocol(h[i], &dp_guid,
						(void **)&d) != EFI_SUCCESS)
			continue;
		UINTN l = dp_len(d);
		if (l && l <= mlen && l > best && !memcmp(d, mine, l)) {
			best = l;
			found = h[i];
		}
	}
	if (!found && n == 1)
		found = h[0];
	bs->FreePool(h);
	return found;
}

/**
 * The PXE base code that took the DHCP ACK: the one on the device
 * syslinux.efi came from, else any started one that has it (as fw_efi.c's
 * dhcp_ack does).  NULL when none (or it runs IPv6).
 */
static EFI_PXE_BASE_CODE_MODE *find_pxe(EFI_HANDLE dev)
{
	EFI_PXE_BASE_CODE_PROTOCOL *pxe = NULL;
	EFI_HANDLE *h = NULL;
	UINTN n = 0;

	if (dev && bs->HandleProtocol(dev, &pxe_bc_guid, (void **)&pxe) ==
	    EFI_SUCCESS && pxe && pxe->Mode && pxe->Mode->DhcpAckReceived &&
	    !pxe->Mode->UsingIpv6)
		return pxe->Mode;
	if (bs->LocateHandleBuffer(ByProtocol, &pxe_bc_guid, NULL, &n,
				   &h) != EFI_SUCCESS)
		return NULL;
	EFI_PXE_BASE_CODE_MODE *m = NULL;
	for (UINTN i = 0; i < n && !m; i++)
		if (bs->HandleProtocol(h[i], &pxe_bc_guid, (void **)&pxe) ==
		    EFI_SUCCESS && pxe && pxe->Mode &&
		    pxe->Mode->DhcpAckReceived && !pxe->Mode->UsingIpv6)
			m = pxe->Mode;
	bs->FreePool(h);
	return m;
}

/**
 * The first router of the DHCP ACK (option 3) into @gw, when the PXE
 * base code's route table has none.
 */
static void router_from_ack(const EFI_PXE_BASE_CODE_MODE *m,
			    EFI_IPv4_ADDRESS *gw)
{
	for (UINT32 i = 0; i < m->RouteTableEntries &&
	     i < EFI_PXE_BASE_CODE_MAX_ROUTE_ENTRIES; i++)
		if (m->RouteTable[i].GwAddr.Addr[0]) {
			memcpy(gw, &m->RouteTable[i].GwAddr.v4, 4);
			return;
		}
	uint32_t r = dhcp_opt4(&m->DhcpAck, 3);

	memcpy(gw, &r, 4);
}

/** The DHCP option @opt of 4 bytes in BOOTP packet @pkt, or 0. */
static uint32_t dhcp_opt4(const void *pkt, uint8_t opt)
{
	const uint8_t *p = pkt;
	uint32_t len = sizeof(EFI_PXE_BASE_CODE_PACKET), i = 240, v;

	if (p[236] != 99 || p[237] != 130 || p[238] != 83 || p[239] != 99)
		return 0;
	while (i + 1 < len && p[i] != 255) {
		if (p[i] == 0) {
			i++;
			continue;
		}
		if (p[i] == opt && p[i + 1] == 4 && i + 6 <= len) {
			memcpy(&v, p + i + 2, 4);
			return v;
		}
		i += 2 + p[i + 1];
	}
	return 0;
}

/** The BOOTP server address (siaddr) of @pkt, when usable (not 0, not
 * broadcast, not multicast or loopback). */
static uint32_t siaddr(const void *pkt)
{
	const uint8_t *p = (const uint8_t *)pkt + 20;
	uint32_t v;

	memcpy(&v, p, 4);
	if (!v || v == 0xffffffffu || p[0] == 127 || p[0] >= 224)
		return 0;
	return v;
}

/**
 * Give modules the IP information syslinux.efi keeps to itself (see the
 * header): our address, mask and router, and the boot server as
 * syslinux.efi takes it - the ACK's siaddr, else its server identifier
 * (option 54), replaced by a PXE reply's or proxy offer's siaddr.  Only
 * when the core left pxe.ipinfo empty.
 */
static void fill_ipinfo(void)
{
	union syslinux_derivative_info *di =
		(union syslinux_derivative_info *)syslinux_derivative_info();
	const EFI_PXE_BASE_CODE_MODE *m = pxe_mode;
	uint32_t server;

	if (di->pxe.filesystem != SYSLINUX_FS_PXELINUX || di->pxe.ipinfo)
		return;
	server = siaddr(&m->DhcpAck);
	if (!server)
		server = dhcp_opt4(&m->DhcpAck, 54);
	if (m->PxeReplyReceived && siaddr(&m->PxeReply))
		server = siaddr(&m->PxeReply);
	else if (m->ProxyOfferReceived && siaddr(&m->ProxyOffer))
		server = siaddr(&m->ProxyOffer);
	ipinfo.ipver = 4;
	ipinfo.myip = my_ip;
	ipinfo.serverip = server;
	memcpy(&ipinfo.gateway, &gateway, 4);
	ipinfo.netmask = netmask;
	di->pxe.ipinfo = &ipinfo;
	di->pxe.myip = my_ip;
	ipinfo_set = 1;
}

/**
 * Configure the child: the firmware's default address first (what
 * syslinux.efi's own sockets use), else our address and mask from the PXE
 * base code.  EFI_NO_MAPPING (the address not set up yet) is retried for
 * up to MAP_WAIT_US.  Returns the last status.
 */
static EFI_STATUS configure(void)
{
	EFI_UDP4_CONFIG_DATA c;
	EFI_STATUS s = EFI_NOT_READY;

	for (int use_default = 1; use_default >= 0; use_default--) {
		memset(&c, 0, sizeof(c));
		c.AcceptAnyPort = TRUE;
		c.AllowDuplicatePort = TRUE;	/* beside syslinux.efi's */
		c.TimeToLive = 64;
		c.UseDefaultAddress = use_default ? TRUE : FALSE;
		if (!use_default) {
			memcpy(&c.StationAddress, &my_ip, 4);
			memcpy(&c.SubnetMask, &netmask, 4);
		}
		for (unsigned waited = 0; waited < MAP_WAIT_US;
		     waited += 10000) {
			s = udp->Configure(udp, &c);
			if (s != EFI_NO_MAPPING)
				break;
			stall_us(10000);
		}
		if (s == EFI_SUCCESS)
			return s;
	}
	return s;
}

/** Arm receive token @i (its event made by setup()). */
static void rx_arm(unsigned i)
{
	rx[i].Status = EFI_NOT_READY;
	rx[i].Packet.RxData = NULL;
	rx_armed[i] = udp->Receive(udp, &rx[i]) == EFI_SUCCESS;
}

/**
 * Make the child and its buffers.  Returns 0, or -1 with everything taken
 * so far given back.
 */
static int setup(void)
{
	EFI_SYSTEM_TABLE *st = fw_efi_system_table();
	EFI_HANDLE img = fw_efi_image_handle();
	EFI_LOADED_IMAGE *li = NULL;
	EFI_HANDLE dev = NULL, nic;

	if (!st || !img)
		return -1;
	bs = st->BootServices;
	rs = st->RuntimeServices;
	if (bs->HandleProtocol(img, &li_guid, (void **)&li) == EFI_SUCCESS &&
	    li)
		dev = li->DeviceHandle;
	pxe_mode = find_pxe(dev);
	if (!pxe_mode)
		return -1;
	memcpy(&my_ip, &pxe_mode->StationIp.v4, 4);
	memcpy(&netmask, &pxe_mode->SubnetMask.v4, 4);
	router_from_ack(pxe_mode, &gateway);
	fill_ipinfo();
	if (!my_ip || !(nic = find_nic(dev)) ||
	    bs->HandleProtocol(nic, &udp4_sb_guid, (void **)&sb) !=
	    EFI_SUCCESS || !sb)
		return -1;
	child = NULL;
	if (sb->CreateChild(sb, &child) != EFI_SUCCESS || !child)
		goto fail;
	if (bs->HandleProtocol(child, &udp4_guid, (void **)&udp) !=
	    EFI_SUCCESS || !udp)
		goto fail;
	if (configure() != EFI_SUCCESS)
		goto fail;
	configured = 1;
	if (bs->AllocatePool(EfiLoaderData,
			     (QUEUE_SLOTS + TX_SLOTS) * (UINTN)PXE_UDP_MAX,
			     (void **)&pool) != EFI_SUCCESS)
		goto fail;
	for (unsigned i = 0; i < QUEUE_SLOTS; i++) {
		queue[i].used = 0;
		queue[i].data = pool + i * (UINTN)PXE_UDP_MAX;
	}
	for (unsigned i = 0; i < TX_SLOTS; i++) {
		memset(&tx[i], 0, sizeof(tx[i]));
		tx[i].data = pool + (QUEUE_SLOTS + i) * (UINTN)PXE_UDP_MAX;
		if (bs->CreateEvent(0, 0, NULL, NULL, &tx[i].tok.Event) !=
		    EFI_SUCCESS)
			goto fail;
	}
	for (unsigned i = 0; i < RX_TOKENS; i++) {
		memset(&rx[i], 0, sizeof(rx[i]));
		if (bs->CreateEvent(0, 0, NULL, NULL, &rx[i].Event) !=
		    EFI_SUCCESS)
			goto fail;
		rx_arm(i);
		if (!rx_armed[i])
			goto fail;
	}
	rx_next = 0;
	lent = NULL;
	return 0;
fail:
	efi_udp_shutdown();
	return -1;
}

size_t pxe_udp_max(void)
{
	return PXE_UDP_MAX;	/* slots of the receive queue are this big */
}

int pxe_udp_available(void)
{
	if (!checked) {
		checked = 1;
		usable = setup() == 0;
	}
	return usable;
}

uint64_t pxe_udp_noise(void)
{
	return rdtsc();
}

size_t pxe_udp_boot_entropy(uint8_t *buf, size_t cap)
{
	struct {
		uint64_t tsc;
		EFI_TIME t;
	} w;
	size_t n;

	memset(&w, 0, sizeof(w));
	w.tsc = rdtsc();
	if (!bs)
		pxe_udp_available();
	if (rs)
		rs->GetTime(&w.t, NULL);
	n = sizeof(w) < cap ? sizeof(w) : cap;
	memcpy(buf, &w, n);
	if (pxe_mode && n < cap) {
		size_t len = sizeof(pxe_mode->DhcpAck);
		if (len > cap - n)
			len = cap - n;
		memcpy(buf + n, &pxe_mode->DhcpAck, len);
		n += len;
	}
	return n;
}

/**
 * Move the datagrams of completed receive tokens into the queue, oldest
 * token first (the UDP4 driver fills its tokens in the order they were
 * armed), hand each buffer back and re-arm the token.  A datagram longer
 * than PXE_UDP_MAX is dropped (its bytes would not fit); a full queue
 * loses its oldest datagram not lent out.  Tokens are re-armed when
 * @rearm (not while shutting down).
 */
static void harvest(int rearm)
{
	for (unsigned k = 0; k < RX_TOKENS; k++) {
		unsigned i = rx_next;
		if (rx_armed[i] && tok_status(&rx[i]) == EFI_NOT_READY)
			return;		/* the oldest is still waiting */
		rx_next = (rx_next + 1) % RX_TOKENS;
		if (!rx_armed[i]) {
			if (rearm)
				rx_arm(i);
			continue;
		}
		EFI_UDP4_RECEIVE_DATA *d = rx[i].Packet.RxData;
		if (tok_status(&rx[i]) == EFI_SUCCESS && d) {
			struct dgram *q = NULL;
			for (unsigned j = 0; j < QUEUE_SLOTS; j++) {
				struct dgram *c = &queue[j];
				if (c == lent)
					continue;
				if (!c->used) {
					q = c;
					break;
				}
				if (!q || c->seq < q->seq)
					q = c;
			}
			if (q && q->used)
				stats.evicted++;
			if (d->DataLength > PXE_UDP_MAX)
				stats.too_long++;
			if (q && d->DataLength <= PXE_UDP_MAX) {
				uint32_t off = 0;
				for (UINT32 f = 0; f < d->FragmentCount &&
				     off < d->DataLength; f++) {
					uint32_t l = d->FragmentTable[f].FragmentLength;
					if (l > d->DataLength - off)
						l = d->DataLength - off;
					memcpy(q->data + off,
					       d->FragmentTable[f].FragmentBuffer, l);
					off += l;
				}
				q->used = 1;
				q->seq = ++seq;
				q->len = off;
				memcpy(&q->src_ip, &d->UdpSession.SourceAddress, 4);
				q->sport = d->UdpSession.SourcePort;
				q->dport = d->UdpSession.DestinationPort;
				stats.rx++;
			}
			bs->SignalEvent(d->RecycleSignal);
		} else if (tok_status(&rx[i]) != EFI_ABORTED) {
			stats.rx_errors++;
		}
		rx_armed[i] = 0;
		if (rearm)
			rx_arm(i);
	}
}

/** The oldest queued datagram for @dport (any port when 0), or NULL. */
static struct dgram *oldest(uint16_t dport)
{
	struct dgram *best = NULL;

	for (unsigned j = 0; j < QUEUE_SLOTS; j++) {
		struct dgram *c = &queue[j];
		if (c->used && (!dport || c->dport == dport) &&
		    (!best || c->seq < best->seq))
			best = c;
	}
	return best;
}

int pxe_udp_recv_to(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		    uint16_t *sport, uint16_t *to)
{
	struct dgram *best;

	if (!usable)
		return -1;
	if (lent) {
		lent->used = 0;
		lent = NULL;
	}
	/* Poll even when the queue holds a match: the NIC's ring is drained
	 * only by polls (and the firmware's own timer, far less often), so
	 * every call moves the ring on while the client works through the
	 * queue. */
	udp->Poll(udp);
	harvest(1);
	best = oldest(dport);
	if (!best)
		return -1;
	lent = best;
	*data = best->data;
	*src_ip = best->src_ip;
	*sport = best->sport;
	*to = best->dport;
	return (int)best->len;
}

int pxe_udp_recv(uint16_t dport, const uint8_t **data, uint32_t *src_ip,
		 uint16_t *sport)
{
	uint16_t to;

	return pxe_udp_recv_to(dport, data, src_ip, sport, &to);
}

/** A send slot whose token is done, polling up to TX_WAIT_US; or NULL. */
static struct tx_slot *free_slot(void)
{
	for (unsigned waited = 0;; waited += 100) {
		for (unsigned i = 0; i < TX_SLOTS; i++) {
			if (tx[i].busy &&
			    tok_status(&tx[i].tok) != EFI_NOT_READY)
				tx[i].busy = 0;
			if (!tx[i].busy)
				return &tx[i];
		}
		if (waited >= TX_WAIT_US)
			return NULL;
		udp->Poll(udp);
		stall_us(100);
	}
}

int pxe_udp_send(uint32_t ip, uint16_t sport, uint16_t dport,
		 const void *data, size_t len)
{
	struct tx_slot *s;

	if (!usable || len > PXE_UDP_MAX || !(s = free_slot())) {
		stats.tx_failed += usable;
		return -1;
	}
	memcpy(s->data, data, len);
	memset(&s->sd, 0, sizeof(s->sd));
	memcpy(&s->sd.DestinationAddress, &ip, 4);
	s->sd.SourcePort = sport;
	s->sd.DestinationPort = dport;
	memset(&s->td, 0, sizeof(s->td));
	s->td.UdpSessionData = &s->sd;
	/* Off our subnet: through the DHCP router (no route table here). */
	if (((ip ^ my_ip) & netmask) && gateway.Addr[0])
		s->td.GatewayAddress = &gateway;
	s->td.DataLength = (UINT32)len;
	s->td.FragmentCount = 1;
	s->td.FragmentTable[0].FragmentLength = (UINT32)len;
	s->td.FragmentTable[0].FragmentBuffer = s->data;
	s->tok.Status = EFI_NOT_READY;
	s->tok.Packet.TxData = &s->td;
	if (udp->Transmit(udp, &s->tok) != EFI_SUCCESS) {
		stats.tx_failed++;
		return -1;
	}
	s->busy = 1;
	stats.tx++;
	return 0;
}

/**
 * Give the child back: hand back what was received, stop it (which aborts
 * every token), destroy it, free the events and buffers.  Sends in
 * flight are cut off.  Safe to call twice; pxe_udp_available() then says
 * no (nothing may use the NIC through us after the kernel is entered).
 */
void efi_udp_shutdown(void)
{
	if (!bs)
		return;
	if (udp && configured) {
		harvest(0);	/* recycles what completed meanwhile */
		udp->Configure(udp, NULL);
		if (fw_efi_verbose())
			printf("mboot: EFI UDP4: %llu datagrams in, %llu out; lost here: %llu (queue full), %llu (over %u bytes), %llu receive errors, %llu sends failed\n",
			       (unsigned long long)stats.rx,
			       (unsigned long long)stats.tx,
			       (unsigned long long)stats.evicted,
			       (unsigned long long)stats.too_long,
			       PXE_UDP_MAX,
			       (unsigned long long)stats.rx_errors,
			       (unsigned long long)stats.tx_failed);
	}
	configured = 0;
	if (child && sb)
		sb->DestroyChild(sb, child);
	child = NULL;
	udp = NULL;
	for (unsigned i = 0; i < RX_TOKENS; i++) {
		if (rx[i].Event)
			bs->CloseEvent(rx[i].Event);
		rx[i].Event = NULL;
		rx_armed[i] = 0;
	}
	for (unsigned i = 0; i < TX_SLOTS; i++) {
		if (tx[i].tok.Event)
			bs->CloseEvent(tx[i].tok.Event);
		tx[i].tok.Event = NULL;
		tx[i].busy = 0;
	}
	if (pool)
		bs->FreePool(pool);
	pool = NULL;
	for (unsigned i = 0; i < QUEUE_SLOTS; i++)
		queue[i].used = 0;
	lent = NULL;
	usable = 0;
	checked = 1;
	if (ipinfo_set) {	/* it points into this module */
		union syslinux_derivative_info *di =
			(union syslinux_derivative_info *)
			syslinux_derivative_info();
		di->pxe.ipinfo = NULL;
		di->pxe.myip = 0;
		ipinfo_set = 0;
	}
}

#endif /* __FIRMWARE_EFI64__ */

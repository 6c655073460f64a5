#ifndef CBLUETOOTH_H
#define CBLUETOOTH_H
#include <stdint.h>
#include <bluetooth/bluetooth.h>
#include <bluetooth/hci.h>
#include <bluetooth/hci_lib.h>
#include <bluetooth/rfcomm.h>
#include <bluetooth/l2cap.h>
#include <bluetooth/sdp.h>
#include <bluetooth/sdp_lib.h>

/* Helpers for what Swift cannot import from the BlueZ headers (macros,
   unions, ioctl numbers, sdp_lib's linked lists). Keep this file small: logic
   belongs in Swift. Every function returns -1 with errno set on failure. */

/* Constants Swift cannot import (macros built from casts or _IOR). */
extern const int cbt_af_bluetooth;
extern const int cbt_sol_bluetooth;
extern const int cbt_sol_hci;
extern const int cbt_sol_rfcomm;

/* HCIGETDEVLIST: fills ids with up to max controller ids; returns the count. */
int cbt_hci_device_ids(uint16_t *ids, int max);
/* HCIGETDEVINFO on a control socket. */
int cbt_hci_device_info(uint16_t id, struct hci_dev_info *info);
/* Sets an HCI socket filter that passes the given event codes only. */
int cbt_hci_set_event_filter(int fd, const uint8_t *events, int count);
/* Raw HCI socket bound to controller `id` (HCI_CHANNEL_RAW). */
int cbt_hci_open_raw(uint16_t id);
/* Kernel management socket (HCI_CHANNEL_CONTROL, HCI_DEV_NONE). */
int cbt_mgmt_open(void);
/* Sets BT_SECURITY (level = BT_SECURITY_LOW etc.) on an RFCOMM/L2CAP socket. */
int cbt_set_security(int fd, uint8_t level);

/* SDP: connects (non-blocking, waiting at most timeout_ms) from src to dst,
   asks for records with the 16-bit service class uuid16 and returns the
   RFCOMM channel of the first one in *channel.
   Returns 0 when found, 1 when the device has no such record, -1 + errno. */
int cbt_sdp_rfcomm_channel(const bdaddr_t *src, const bdaddr_t *dst, uint16_t uuid16,
                           int timeout_ms, uint8_t *channel);

/* Registers an "OBEX Object Push" record (0x1105, RFCOMM channel, OBEX,
   profile 0x0102, formats "any") with the local SDP server (bluetoothd's
   legacy socket, which bluetoothd opens only with --compat). The record
   lives as long as the returned session; close it with cbt_sdp_close.
   Returns NULL + errno on failure. */
sdp_session_t *cbt_sdp_register_object_push(uint8_t channel, const char *name);
void cbt_sdp_close(sdp_session_t *session);
#endif

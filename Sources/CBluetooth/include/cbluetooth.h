#ifndef CBLUETOOTH_H
#define CBLUETOOTH_H
#include <bluetooth/bluetooth.h>
#include <bluetooth/hci.h>
#include <bluetooth/hci_lib.h>
#include <bluetooth/rfcomm.h>
#include <bluetooth/sdp.h>
#include <bluetooth/sdp_lib.h>

/* Helpers for what Swift cannot import from the BlueZ headers (macros,
   unions, ioctl numbers). Keep this file small: logic belongs in Swift. */
int cbt_placeholder(void);
#endif

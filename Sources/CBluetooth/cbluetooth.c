#include "cbluetooth.h"
int cbt_placeholder(void) { return 0; }

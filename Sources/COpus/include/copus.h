#ifndef COPUS_H
#define COPUS_H
#include <opus/opus.h>
#include <opus/opus_defines.h>

/* opus_encoder_ctl is variadic and cannot be called from Swift: one typed
   wrapper per request. Each returns an OPUS_* error code. */
int copus_set_int(OpusEncoder *enc, int request, int value);
int copus_get_int(OpusEncoder *enc, int request, int *value);
#endif

#include "copus.h"

int copus_set_int(OpusEncoder *enc, int request, int value) {
    return opus_encoder_ctl(enc, request, (opus_int32)value);
}

int copus_get_int(OpusEncoder *enc, int request, int *value) {
    opus_int32 v = 0;
    int rc = opus_encoder_ctl(enc, request, &v);
    *value = (int)v;
    return rc;
}

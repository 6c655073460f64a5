#include "cbluetooth.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

const int cbt_af_bluetooth = AF_BLUETOOTH;
const int cbt_sol_bluetooth = SOL_BLUETOOTH;
const int cbt_sol_hci = SOL_HCI;
const int cbt_sol_rfcomm = SOL_RFCOMM;

static int control_socket(void) {
    return socket(AF_BLUETOOTH, SOCK_RAW | SOCK_CLOEXEC, BTPROTO_HCI);
}

int cbt_hci_device_ids(uint16_t *ids, int max) {
    int fd = control_socket();
    if (fd < 0) return -1;
    struct hci_dev_list_req *dl = calloc(1, sizeof(*dl) + HCI_MAX_DEV * sizeof(struct hci_dev_req));
    if (!dl) { close(fd); errno = ENOMEM; return -1; }
    dl->dev_num = HCI_MAX_DEV;
    if (ioctl(fd, HCIGETDEVLIST, dl) < 0) {
        int e = errno; free(dl); close(fd); errno = e; return -1;
    }
    int n = dl->dev_num < max ? dl->dev_num : max;
    for (int i = 0; i < n; i++) ids[i] = dl->dev_req[i].dev_id;
    free(dl);
    close(fd);
    return n;
}

int cbt_hci_device_info(uint16_t id, struct hci_dev_info *info) {
    int fd = control_socket();
    if (fd < 0) return -1;
    memset(info, 0, sizeof(*info));
    info->dev_id = id;
    int r = ioctl(fd, HCIGETDEVINFO, (void *)info);
    int e = errno;
    close(fd);
    errno = e;
    return r < 0 ? -1 : 0;
}

int cbt_hci_set_event_filter(int fd, const uint8_t *events, int count) {
    struct hci_filter f;
    hci_filter_clear(&f);
    hci_filter_set_ptype(HCI_EVENT_PKT, &f);
    for (int i = 0; i < count; i++) hci_filter_set_event(events[i], &f);
    return setsockopt(fd, SOL_HCI, HCI_FILTER, &f, sizeof(f));
}

int cbt_hci_open_raw(uint16_t id) {
    int fd = socket(AF_BLUETOOTH, SOCK_RAW | SOCK_CLOEXEC, BTPROTO_HCI);
    if (fd < 0) return -1;
    struct sockaddr_hci a;
    memset(&a, 0, sizeof(a));
    a.hci_family = AF_BLUETOOTH;
    a.hci_dev = id;
    a.hci_channel = HCI_CHANNEL_RAW;
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        int e = errno; close(fd); errno = e; return -1;
    }
    return fd;
}

int cbt_mgmt_open(void) {
    int fd = socket(AF_BLUETOOTH, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, BTPROTO_HCI);
    if (fd < 0) return -1;
    struct sockaddr_hci a;
    memset(&a, 0, sizeof(a));
    a.hci_family = AF_BLUETOOTH;
    a.hci_dev = HCI_DEV_NONE;
    a.hci_channel = HCI_CHANNEL_CONTROL;
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        int e = errno; close(fd); errno = e; return -1;
    }
    return fd;
}

int cbt_set_security(int fd, uint8_t level) {
    struct bt_security s;
    memset(&s, 0, sizeof(s));
    s.level = level;
    return setsockopt(fd, SOL_BLUETOOTH, BT_SECURITY, &s, sizeof(s));
}

static int first_rfcomm_channel(sdp_list_t *records) {
    int channel = -1;
    for (sdp_list_t *r = records; r && channel < 0; r = r->next) {
        sdp_list_t *protos = NULL;
        if (sdp_get_access_protos((sdp_record_t *)r->data, &protos) == 0) {
            int ch = sdp_get_proto_port(protos, RFCOMM_UUID);
            if (ch > 0 && ch <= 30) channel = ch;
            for (sdp_list_t *p = protos; p; p = p->next) sdp_list_free((sdp_list_t *)p->data, 0);
            sdp_list_free(protos, 0);
        }
    }
    return channel;
}

int cbt_sdp_rfcomm_channel(const bdaddr_t *src, const bdaddr_t *dst, uint16_t uuid16,
                           int timeout_ms, uint8_t *channel) {
    sdp_session_t *s = sdp_connect(src, dst, SDP_NON_BLOCKING);
    if (!s) return -1;
    int fd = sdp_get_socket(s);
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    int pr;
    do { pr = poll(&pfd, 1, timeout_ms); } while (pr < 0 && errno == EINTR);
    if (pr == 0) { sdp_close(s); errno = ETIMEDOUT; return -1; }
    if (pr < 0) { int e = errno; sdp_close(s); errno = e; return -1; }
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err) { sdp_close(s); errno = err; return -1; }
    /* sdp_lib's requests are synchronous (each reply waited for with its own
       20 s poll); the receive timeout bounds a peer that accepts and then
       stalls. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));

    uuid_t svc;
    sdp_uuid16_create(&svc, uuid16);
    sdp_list_t *search = sdp_list_append(NULL, &svc);
    uint32_t range = 0x0000ffff;
    sdp_list_t *attrs = sdp_list_append(NULL, &range);
    sdp_list_t *records = NULL;
    int r = sdp_service_search_attr_req(s, search, SDP_ATTR_REQ_RANGE, attrs, &records);
    int e = errno;
    sdp_list_free(search, 0);
    sdp_list_free(attrs, 0);
    if (r < 0) {
        sdp_close(s);
        errno = e ? e : EIO;
        return -1;
    }
    int ch = first_rfcomm_channel(records);
    sdp_list_free(records, (sdp_free_func_t)sdp_record_free);
    sdp_close(s);
    if (ch < 0) return 1;
    *channel = (uint8_t)ch;
    return 0;
}

sdp_session_t *cbt_sdp_register_object_push(uint8_t channel, const char *name) {
    bdaddr_t any = {{0, 0, 0, 0, 0, 0}}, local = {{0, 0, 0, 0xff, 0xff, 0xff}};
    sdp_session_t *s = sdp_connect(&any, &local, SDP_RETRY_IF_BUSY);
    if (!s) return NULL;
    sdp_record_t *rec = sdp_record_alloc();
    if (!rec) { sdp_close(s); errno = ENOMEM; return NULL; }

    uuid_t root_uuid, opush_uuid, l2cap_uuid, rfcomm_uuid, obex_uuid;
    sdp_uuid16_create(&root_uuid, PUBLIC_BROWSE_GROUP);
    sdp_list_t *root = sdp_list_append(NULL, &root_uuid);
    sdp_set_browse_groups(rec, root);

    sdp_uuid16_create(&opush_uuid, OBEX_OBJPUSH_SVCLASS_ID);
    sdp_list_t *classes = sdp_list_append(NULL, &opush_uuid);
    sdp_set_service_classes(rec, classes);

    sdp_profile_desc_t profile;
    sdp_uuid16_create(&profile.uuid, OBEX_OBJPUSH_PROFILE_ID);
    profile.version = 0x0102;
    sdp_list_t *profiles = sdp_list_append(NULL, &profile);
    sdp_set_profile_descs(rec, profiles);

    sdp_uuid16_create(&l2cap_uuid, L2CAP_UUID);
    sdp_list_t *l2cap = sdp_list_append(NULL, &l2cap_uuid);
    sdp_list_t *proto = sdp_list_append(NULL, l2cap);
    sdp_uuid16_create(&rfcomm_uuid, RFCOMM_UUID);
    sdp_data_t *ch = sdp_data_alloc(SDP_UINT8, &channel);
    sdp_list_t *rfcomm = sdp_list_append(NULL, &rfcomm_uuid);
    sdp_list_append(rfcomm, ch);
    sdp_list_append(proto, rfcomm);
    sdp_uuid16_create(&obex_uuid, OBEX_UUID);
    sdp_list_t *obex = sdp_list_append(NULL, &obex_uuid);
    sdp_list_append(proto, obex);
    sdp_list_t *access = sdp_list_append(NULL, proto);
    sdp_set_access_protos(rec, access);

    /* Supported Formats List: 0xFF = any type of object */
    uint8_t fmt_type = SDP_UINT8, any_format = 0xff;
    void *fmt_types[1] = { &fmt_type };
    void *fmt_values[1] = { &any_format };
    sdp_data_t *formats = sdp_seq_alloc(fmt_types, fmt_values, 1);
    sdp_attr_add(rec, SDP_ATTR_SUPPORTED_FORMATS_LIST, formats);

    sdp_set_info_attr(rec, name ? name : "OBEX Object Push", NULL, NULL);

    int r = sdp_record_register(s, rec, 0);
    int e = errno;
    sdp_data_free(ch);
    sdp_list_free(l2cap, 0);
    sdp_list_free(rfcomm, 0);
    sdp_list_free(obex, 0);
    sdp_list_free(proto, 0);
    sdp_list_free(access, 0);
    sdp_list_free(root, 0);
    sdp_list_free(classes, 0);
    sdp_list_free(profiles, 0);
    sdp_record_free(rec);
    if (r < 0) { sdp_close(s); errno = e ? e : EIO; return NULL; }
    return s;
}

void cbt_sdp_close(sdp_session_t *session) {
    if (session) sdp_close(session);
}

#ifndef HOTLINE_CEPOLL_SHIM_H
#define HOTLINE_CEPOLL_SHIM_H
/* Glibc's Swift module leaves out epoll and eventfd; the event loops need both. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#endif

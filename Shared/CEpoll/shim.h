#ifndef HOTLINE_CEPOLL_SHIM_H
#define HOTLINE_CEPOLL_SHIM_H
/* Glibc's Swift module leaves out epoll and eventfd (the event loops need both) and, without
   _GNU_SOURCE, pthread_setname_np (threads name themselves: NamedThread), and getrandom
   (RandomBits reads a page of it at a time). */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <pthread.h>
#include <sys/random.h>
extern int pthread_setname_np(pthread_t thread, const char *name);
#endif

/* The part of Apple's <CommonCrypto/CommonRandom.h> used by the macOS wheels' C dependencies
 * (see CommonCryptoError.h): CCRandomGenerateBytes, in libSystem since macOS 10.10. */
#ifndef CPAAS_COMMONCRYPTO_RANDOM_H
#define CPAAS_COMMONCRYPTO_RANDOM_H
#include <stddef.h>
#include <CommonCrypto/CommonCryptoError.h>

typedef CCCryptorStatus CCRNGStatus;

CCRNGStatus CCRandomGenerateBytes(void *bytes, size_t count);

#endif

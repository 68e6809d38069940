/* The part of Apple's <CommonCrypto/CommonCryptoError.h> that C dependencies of the macOS wheels
 * use (mimalloc: CCRandomGenerateBytes). zig ships libSystem's headers and stubs but not
 * CommonCrypto's headers; the functions themselves are in libSystem (libcommonCrypto). */
#ifndef CPAAS_COMMONCRYPTO_ERROR_H
#define CPAAS_COMMONCRYPTO_ERROR_H
#include <stdint.h>

typedef int32_t CCStatus;
typedef int32_t CCCryptorStatus;

enum {
    kCCSuccess = 0,
    kCCParamError = -4300,
    kCCBufferTooSmall = -4301,
    kCCMemoryFailure = -4302,
    kCCAlignmentError = -4303,
    kCCDecodeError = -4304,
    kCCUnimplemented = -4305,
    kCCOverflow = -4306,
    kCCRNGFailure = -4307,
    kCCUnspecifiedError = -4308,
    kCCCallSequenceError = -4309,
    kCCKeySizeError = -4310,
    kCCInvalidKey = -4311,
};

#endif

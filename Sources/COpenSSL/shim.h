#ifndef OMS_UPGRADE_COPENSSL_SHIM_H
#define OMS_UPGRADE_COPENSSL_SHIM_H

// OpenSSL's TLS client, for the health probe's HTTPS. libmariadb already links the same
// libssl/libcrypto, so this adds no runtime dependency.
#include <openssl/ssl.h>
#include <openssl/err.h>

/// SSL_OP_IGNORE_UNEXPECTED_EOF and SNI are macros Swift cannot call.
static inline void oms_ssl_ctx_ignore_unexpected_eof(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}

static inline int oms_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

#endif

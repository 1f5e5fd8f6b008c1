/*
 * Text forms of the Merkle module: hashes in hex, proofs in hex or base64.
 *
 * Every reader here is strict — one value, one text — because these texts are evidence:
 * a head or a proof that two programs could read differently, or that could carry hidden
 * bytes after what was checked, would weaken what it is meant to prove.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kelisim/merkle.h"
#include "merkle_internal.h"
#include "buf_internal.h"
#include "error_internal.h"

#define HLEN KEL_MERKLE_HASH_SIZE
#define HEXLEN (2 * HLEN)

/* ---- Hex --------------------------------------------------------------------------- */

static const char hex_digits[] = "0123456789abcdef";

/* The value of a lower-case hex digit, or -1: upper case is refused so that hex is canonical. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void kel_merkle_hash_to_hex(char out[HEXLEN + 1], const unsigned char hash[HLEN])
{
	if (out == NULL || hash == NULL)
		return;
	for (size_t i = 0; i < HLEN; i++) {
		out[2 * i] = hex_digits[hash[i] >> 4];
		out[2 * i + 1] = hex_digits[hash[i] & 0x0f];
	}
	out[HEXLEN] = '\0';
}

int kel__merkle_hex_decode(unsigned char out[HLEN], const char *hex, size_t len)
{
	if (len != HEXLEN)
		return -1;
	for (size_t i = 0; i < HLEN; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int kel_merkle_hash_from_hex(unsigned char out[HLEN], const char *hex, size_t len)
{
	if (out == NULL || hex == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_hash_from_hex: NULL argument");
	if (kel__merkle_hex_decode(out, hex, len) < 0)
		return kel_fail(KEL_EPARSE, "a hash must be 64 lower-case hex digits");
	return 0;
}

/* ---- Base64 (RFC 4648 §4) ----------------------------------------------------------- */

static const char b64_digits[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int b64_encode(kel_buf *out, const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		size_t left = len - i;
		char q[4];

		if (left > 1)
			v |= (uint32_t)data[i + 1] << 8;
		if (left > 2)
			v |= data[i + 2];
		q[0] = b64_digits[v >> 18 & 63];
		q[1] = b64_digits[v >> 12 & 63];
		q[2] = left > 1 ? b64_digits[v >> 6 & 63] : '=';
		q[3] = left > 2 ? b64_digits[v & 63] : '=';
		if (kel_buf_put(out, q, 4) < 0)
			return KEL_ENOMEM;
	}
	return 0;
}

/*
 * Decode canonical base64 into out (room for len / 4 * 3 bytes); the decoded length, or -1.
 * Canonical: a multiple of 4 characters, '=' only as the last one or two, and padding bits
 * that are zero — otherwise several texts would decode to the same bytes.
 */
static long b64_decode(unsigned char *out, const char *text, size_t len)
{
	size_t n = 0, pad = 0;

	if (len % 4 != 0)
		return -1;
	if (len > 0 && text[len - 1] == '=')
		pad = (len > 1 && text[len - 2] == '=') ? 2 : 1;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		int last = i + 4 == len;

		for (int j = 0; j < 4; j++) {
			v[j] = b64_value(text[i + (size_t)j]);
			if (v[j] < 0 && !(last && (size_t)j >= 4 - pad))
				return -1;
		}
		out[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (last && pad == 2) {
			if (v[1] & 0x0f)
				return -1;
			break;
		}
		out[n++] = (unsigned char)((v[1] & 0x0f) << 4 | v[2] >> 2);
		if (last && pad == 1) {
			if (v[2] & 0x03)
				return -1;
			break;
		}
		out[n++] = (unsigned char)((v[2] & 0x03) << 6 | v[3]);
	}
	return (long)n;
}

/* ---- Proofs ------------------------------------------------------------------------ */

int kel_merkle_proof_encode(kel_buf *out, const kel_merkle_proof *proof,
	kel_merkle_encoding encoding)
{
	char hex[HEXLEN + 1];

	if (out == NULL || proof == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_proof_encode: NULL argument");
	if (encoding != KEL_MERKLE_HEX && encoding != KEL_MERKLE_BASE64)
		return kel_fail(KEL_EINVAL, "unknown proof encoding %d", (int)encoding);
	kel_buf_clear(out);
	/* An empty put still allocates and terminates: a proof of no hashes gives "", not NULL. */
	if (kel_buf_put(out, "", 0) < 0)
		return KEL_ENOMEM;
	if (encoding == KEL_MERKLE_BASE64) {
		if (proof->count > SIZE_MAX / HLEN)
			return kel_fail(KEL_ETOOBIG, "proof too large");
		return b64_encode(out, &proof->hash[0][0], proof->count * HLEN);
	}
	for (size_t i = 0; i < proof->count; i++) {
		kel_merkle_hash_to_hex(hex, proof->hash[i]);
		if ((i > 0 && kel_buf_put(out, ",", 1) < 0) || kel_buf_put(out, hex, HEXLEN) < 0)
			return KEL_ENOMEM;
	}
	return 0;
}

/* The longest canonical texts of KEL_MERKLE_PROOF_MAX hashes, to refuse more before work. */
#define PROOF_HEX_MAX (KEL_MERKLE_PROOF_MAX * (HEXLEN + 1) - 1)
#define PROOF_B64_MAX ((KEL_MERKLE_PROOF_MAX * HLEN + 2) / 3 * 4)

int kel_merkle_proof_decode(kel_merkle_proof **out, const char *text, size_t len,
	kel_merkle_encoding encoding)
{
	unsigned char raw[PROOF_B64_MAX / 4 * 3];
	kel_merkle_proof *p;
	size_t count;
	long n;
	int rc;

	if (out == NULL || (text == NULL && len != 0))
		return kel_fail(KEL_EINVAL, "kel_merkle_proof_decode: NULL argument");
	*out = NULL;
	if (encoding != KEL_MERKLE_HEX && encoding != KEL_MERKLE_BASE64)
		return kel_fail(KEL_EINVAL, "unknown proof encoding %d", (int)encoding);
	if (len == 0)   /* no hash, in either encoding */
		return kel_merkle_proof_new(out, 0);
	if (encoding == KEL_MERKLE_HEX) {
		if (len > PROOF_HEX_MAX)
			return kel_fail(KEL_ETOOBIG, "proof: more than %d hashes",
				KEL_MERKLE_PROOF_MAX);
		/* c hashes take 64c + (c - 1) characters. */
		if ((len + 1) % (HEXLEN + 1) != 0)
			return kel_fail(KEL_EPARSE, "proof: not a list of 64-digit hex hashes "
				"separated by ','");
		count = (len + 1) / (HEXLEN + 1);
		if ((rc = kel_merkle_proof_new(&p, count)) < 0)
			return rc;
		for (size_t i = 0; i < count; i++) {
			const char *h = text + i * (HEXLEN + 1);

			if (kel__merkle_hex_decode(p->hash[i], h, HEXLEN) < 0 ||
			    (i + 1 < count && h[HEXLEN] != ',')) {
				kel_merkle_proof_free(p);
				return kel_fail(KEL_EPARSE, "proof: hash %zu is not 64 lower-case hex "
					"digits followed by ','", i + 1);
			}
		}
		*out = p;
		return 0;
	}
	if (len > PROOF_B64_MAX)
		return kel_fail(KEL_ETOOBIG, "proof: more than %d hashes", KEL_MERKLE_PROOF_MAX);
	n = b64_decode(raw, text, len);
	if (n < 0)
		return kel_fail(KEL_EPARSE, "proof: not canonical base64");
	if ((size_t)n % HLEN != 0)
		return kel_fail(KEL_EPARSE, "proof: %ld bytes, not a whole number of hashes", n);
	if ((size_t)n / HLEN > KEL_MERKLE_PROOF_MAX)
		return kel_fail(KEL_ETOOBIG, "proof: more than %d hashes", KEL_MERKLE_PROOF_MAX);
	if ((rc = kel_merkle_proof_new(&p, (size_t)n / HLEN)) < 0)
		return rc;
	if (n > 0)
		memcpy(p->hash, raw, (size_t)n);
	*out = p;
	return 0;
}

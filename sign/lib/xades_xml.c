/*
 * XML helpers of the signature modules: canonicalisation of a subtree, base64, lookups.
 */
#include <stdlib.h>
#include <string.h>
#include <libxml/c14n.h>
#include <libxml/xmlIO.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "xades_internal.h"
#include "error_internal.h"

struct c14n_scope {
	xmlNodePtr top;       /* the subtree to render; the document node for all of it */
	xmlNodePtr stand_in;  /* the copy of top that libxml2 walks in its place, or NULL */
	xmlNodePtr exclude;   /* a subtree to leave out, or NULL */
};

/*
 * libxml2 asks about every node, attribute and namespace node. A namespace node comes as
 * (xmlNsPtr, its element); anything else carries its parent. The node is visible when the
 * walk up from it meets the top of the subtree (or its stand-in, which is where the walk
 * starts for the top element itself) before it meets the excluded subtree.
 */
static int c14n_visible(void *user, xmlNodePtr node, xmlNodePtr parent)
{
	const struct c14n_scope *scope = user;
	xmlNodePtr n = node;

	if (node == NULL)
		return 0;
	if (node->type == XML_NAMESPACE_DECL)
		n = parent;
	for (; n; n = n->parent) {
		if (n == scope->exclude)
			return 0;
		if (n == scope->top || n == scope->stand_in)
			return 1;
	}
	return 0;
}

int kel__c14n(xmlNodePtr node, int mode, int with_comments, xmlNodePtr exclude,
	xmlChar **out, int *len)
{
	struct c14n_scope scope = { node, NULL, exclude };
	xmlOutputBufferPtr buf = xmlAllocOutputBuffer(NULL);
	int rc;

	*out = NULL;
	*len = 0;
	if (buf == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if (node->type == XML_DOCUMENT_NODE) {
		rc = xmlC14NExecute(node->doc, c14n_visible, &scope, mode, NULL, with_comments, buf);
	} else {
		/*
		 * libxml2 walks the whole document from doc->children and asks about every node,
		 * which costs as much for a 1 KB SignedInfo as for the whole document with its QR
		 * images and signatures. It is given instead a document of one child: copies, on
		 * the stack, of the document and of the node, the node's copy without siblings.
		 * The tree itself is only read, so threads may canonicalise one document at once.
		 * The copy keeps the node's parent, attributes, namespace declarations and
		 * children, which are the tree's own: namespaces and xml:* attributes in scope
		 * are still looked up through the real ancestors, which stay invisible, and the
		 * children's parent is the real node, which c14n_visible takes as the top too.
		 * The output is byte for byte that of walking the whole document.
		 */
		xmlDoc doc = *node->doc;
		xmlNode top = *node;

		top.prev = top.next = NULL;
		doc.children = doc.last = &top;
		scope.stand_in = &top;
		rc = xmlC14NExecute(&doc, c14n_visible, &scope, mode, NULL, with_comments, buf);
	}
	if (rc < 0) {
		xmlOutputBufferClose(buf);
		return kel_fail(KEL_ERROR, "canonicalisation failed");
	}
	*len = (int)xmlOutputBufferGetSize(buf);
	*out = xmlStrndup(xmlOutputBufferGetContent(buf), *len);
	xmlOutputBufferClose(buf);
	if (*out == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	return 0;
}

char *kel__base64(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

int kel__unbase64(const char *text, unsigned char **out)
{
	size_t n = strlen(text), k = 0, pad = 0;
	char *clean = malloc(n + 1);
	unsigned char *bin;
	int len;

	*out = NULL;
	if (clean == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", text[i]))
			clean[k++] = text[i];
	clean[k] = '\0';
	if (k % 4 != 0 || (bin = malloc(k / 4 * 3 + 1)) == NULL) {
		free(clean);
		return -1;
	}
	len = EVP_DecodeBlock(bin, (unsigned char *)clean, (int)k);
	/* EVP_DecodeBlock counts the padding as data: take it off. */
	while (k > 0 && clean[k - 1] == '=' && pad < 2) {
		k--;
		pad++;
	}
	free(clean);
	if (len < 0) {
		free(bin);
		return -1;
	}
	*out = bin;
	return len - (int)pad;
}

int kel__is(xmlNodePtr node, const char *ns, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
		strcmp((const char *)node->ns->href, ns) == 0 &&
		strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr kel__ds_child(xmlNodePtr parent, const char *ns, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (kel__is(c, ns, name))
			return c;
	return NULL;
}

int kel__random_hex(char *out, size_t n)
{
	unsigned char bytes[32];
	static const char hex[] = "0123456789abcdef";

	if (n > sizeof(bytes) || RAND_bytes(bytes, (int)n) != 1)
		return kel_fail_openssl(KEL_ECRYPTO, "no random bytes");
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

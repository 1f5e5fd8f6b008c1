/*
 * The document: made from a request, read from XML, written out.
 */
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "doc_internal.h"
#include "request.h"
#include "schema.h"
#include "text.h"
#include "tmpl_internal.h"
#include "xml_safe.h"
#include "buf_internal.h"
#include "error_internal.h"

static const char *const type_names[] = {
	NULL, "consent", "transfer-notice", "cross-border-consent", "withdrawal",
	"evidence-statement"
};

const char *kel_doc_type_name(kel_doc_type type)
{
	return (type >= KEL_DOC_CONSENT && type <= KEL_DOC_EVIDENCE_STATEMENT) ? type_names[type] : NULL;
}

kel_doc_type kel_doc_type_from_name(const char *name)
{
	for (int t = KEL_DOC_CONSENT; name && t <= KEL_DOC_EVIDENCE_STATEMENT; t++)
		if (strcmp(name, type_names[t]) == 0)
			return (kel_doc_type)t;
	return 0;
}

void kel_doc_free(kel_doc *doc)
{
	if (doc == NULL)
		return;
	xmlFreeDoc(doc->xml);
	free(doc);
}

/* Take ownership of xml, check it, and wrap it in a handle. */
static int doc_from_tree(kel_doc **out, xmlDocPtr xml, int schema_done)
{
	xmlNodePtr root = xmlDocGetRootElement(xml);
	kel_doc *doc;
	int rc;

	if (root == NULL || root->ns == NULL || strcmp((const char *)root->ns->href, KEL_NS) != 0 ||
	    strcmp((const char *)root->name, "ConsentDocument") != 0) {
		xmlFreeDoc(xml);
		return kel_fail(KEL_EINVALID, "document: not a kelisim document "
			"(expected <ConsentDocument xmlns=\"%s\">)", KEL_NS);
	}
	if (!schema_done && (rc = kel__schema_validate(xml)) < 0) {
		xmlFreeDoc(xml);
		return rc;
	}
	/*
	 * The tree holds UTF-8 whatever the input's encoding, and kel_doc_write writes it as
	 * UTF-8. libxml2 writes attribute values as raw UTF-8 only when the tree has an encoding,
	 * else as character references: one is set here, while the tree is still ours alone,
	 * because setting it for the time of each write would be a write to a shared tree.
	 */
	if (xml->encoding == NULL && (xml->encoding = xmlStrdup(BAD_CAST "UTF-8")) == NULL) {
		xmlFreeDoc(xml);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if ((doc = calloc(1, sizeof(*doc))) == NULL) {
		xmlFreeDoc(xml);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	doc->xml = xml;
	if ((rc = kel__doc_check(doc)) < 0) {
		kel_doc_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

int kel_doc_parse(kel_doc **out, const char *data, size_t len)
{
	xmlDocPtr xml;
	int rc;

	if (out == NULL || (data == NULL && len > 0))
		return kel_fail(KEL_EINVAL, "kel_doc_parse: NULL argument");
	*out = NULL;
	if ((rc = kel__xml_parse(&xml, data, len, "document")) < 0)
		return rc;
	return doc_from_tree(out, xml, 0);
}

int kel__doc_from_validated_tree(kel_doc **out, xmlDocPtr xml)
{
	*out = NULL;
	return doc_from_tree(out, xml, 1);
}

/*
 * Elements copied from a template's result carry their own xmlns declaration; point them at
 * the document's namespace and drop the declaration, so the output has one xmlns, at the root.
 */
static void adopt_namespace(xmlNodePtr node, xmlNsPtr ns)
{
	for (xmlNodePtr n = node; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns && strcmp((const char *)n->ns->href, KEL_NS) == 0)
			n->ns = ns;
		adopt_namespace(n->children, ns);
	}
}

static void drop_own_namespace(xmlNodePtr node, xmlNsPtr ns)
{
	adopt_namespace(node->children, ns);
	node->ns = ns;
	if (node->nsDef && node->nsDef->next == NULL && node->nsDef->prefix == NULL &&
	    strcmp((const char *)node->nsDef->href, KEL_NS) == 0) {
		xmlFreeNs(node->nsDef);
		node->nsDef = NULL;
	}
}

static xmlNodePtr build_header(xmlNodePtr content, xmlNsPtr ns, const struct kel_request *req,
	const char *id, const char *issued_at, struct kel_tmpl *const *tmpls)
{
	xmlNodePtr header = xmlNewDocNode(content->doc, ns, BAD_CAST "Header", NULL);
	char langs[9] = "";

	if (header == NULL)
		return NULL;
	for (int i = 0; i < req->nlangs; i++) {
		if (i)
			strcat(langs, " ");
		strcat(langs, req->langs[i]);
	}
	xmlNewTextChild(header, ns, BAD_CAST "DocumentId", BAD_CAST id);
	xmlNewTextChild(header, ns, BAD_CAST "DocumentType", BAD_CAST kel_doc_type_name(req->type));
	xmlNewTextChild(header, ns, BAD_CAST "IssuedAt", BAD_CAST issued_at);
	xmlNewTextChild(header, ns, BAD_CAST "Languages", BAD_CAST langs);
	for (int i = 0; i < req->nlangs; i++) {
		xmlNodePtr t = xmlNewChild(header, ns, BAD_CAST "Template", NULL);
		xmlNewProp(t, BAD_CAST "Lang", BAD_CAST tmpls[i]->info.lang);
		xmlNewProp(t, BAD_CAST "Name", BAD_CAST tmpls[i]->info.name);
		xmlNewProp(t, BAD_CAST "Version", BAD_CAST tmpls[i]->info.version);
		xmlNewProp(t, BAD_CAST "SHA256", BAD_CAST tmpls[i]->info.sha256);
	}
	if (req->refers_to[0])
		xmlNewTextChild(header, ns, BAD_CAST "RefersTo", BAD_CAST req->refers_to);
	/* The header goes first in Content, before the body the request reader appended. */
	if (content->children)
		xmlAddPrevSibling(content->children, header);
	else
		xmlAddChild(content, header);
	return header;
}

/* Render each language's wording from the content built so far, and append it. */
static int render_texts(xmlNodePtr content, xmlNsPtr ns, int nlangs,
	struct kel_tmpl *const *tmpls)
{
	xmlDocPtr input = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr copy;
	int rc = 0;

	if (input == NULL || (copy = xmlDocCopyNode(content, input, 1)) == NULL) {
		xmlFreeDoc(input);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	xmlDocSetRootElement(input, copy);
	for (int i = 0; i < nlangs && rc == 0; i++) {
		xmlNodePtr text;
		if ((rc = kel__tmpl_render(&text, tmpls[i], input, content->doc)) == 0) {
			xmlAddChild(content, text);
			drop_own_namespace(text, ns);
		}
	}
	xmlFreeDoc(input);
	return rc;
}

static int build(xmlDocPtr xml, const char *json, size_t len, const kel_doc_new_options *opts)
{
	struct kel_request req;
	struct kel_tmpl *tmpls[3] = { NULL, NULL, NULL };
	char id[KEL_UUID_STRLEN + 1], issued_at[21], today[11], attr[64];
	time_t now = opts && opts->issued_at ? opts->issued_at : time(NULL);
	xmlNodePtr root, content, node;
	xmlNsPtr ns;
	int rc;

	kel__utc_format(now, issued_at);
	kel__kz_date(now, today);

	root = xmlNewDocNode(xml, NULL, BAD_CAST "ConsentDocument", NULL);
	if (root == NULL || (ns = xmlNewNs(root, BAD_CAST KEL_NS, NULL)) == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	xmlSetNs(root, ns);
	xmlDocSetRootElement(xml, root);
	content = xmlNewChild(root, ns, BAD_CAST "Content", NULL);
	if (content == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");

	if ((rc = kel__request_read(&req, json, len, today, content, ns)) < 0)
		return rc;
	if ((rc = kel_uuid7_generate(id)) < 0)
		return rc;
	for (int i = 0; i < req.nlangs && rc == 0; i++)
		rc = kel__tmpl_load(&tmpls[i], req.type, req.langs[i],
			opts ? opts->templates_dir : NULL);
	if (rc < 0)
		goto done;

	xmlNewProp(root, BAD_CAST "Id", BAD_CAST id);
	xmlNewProp(root, BAD_CAST "Type", BAD_CAST kel_doc_type_name(req.type));
	snprintf(attr, sizeof(attr), "content-%s", id);
	xmlNewProp(content, BAD_CAST "Id", BAD_CAST attr);
	if (build_header(content, ns, &req, id, issued_at, tmpls) == NULL) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = render_texts(content, ns, req.nlangs, tmpls)) < 0)
		goto done;

	/* Empty slots, filled by the QR step and by signing. */
	node = xmlNewChild(root, ns, BAD_CAST "Verification", NULL);
	snprintf(attr, sizeof(attr), "verification-%s", id);
	xmlNewProp(node, BAD_CAST "Id", BAD_CAST attr);
	xmlNewChild(root, ns, BAD_CAST "Signatures", NULL);
done:
	for (int i = 0; i < 3; i++)
		kel__tmpl_free(tmpls[i]);
	return rc;
}

int kel_doc_new(kel_doc **out, const char *json, size_t len, const kel_doc_new_options *opts)
{
	xmlDocPtr xml;
	xmlChar *mem = NULL;
	int size = 0, rc;

	if (out == NULL || (json == NULL && len > 0))
		return kel_fail(KEL_EINVAL, "kel_doc_new: NULL argument");
	*out = NULL;
	if (opts && opts->version != KEL_DOC_NEW_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_doc_new: options version %u not supported",
			opts->version);
	if ((xml = xmlNewDoc(BAD_CAST "1.0")) == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if ((rc = build(xml, json, len, opts)) < 0) {
		xmlFreeDoc(xml);
		return rc;
	}

	/*
	 * Write the document as it will be stored, indented for people, and read it back through
	 * the same door as any other document: what kel_doc_new hands out has passed the schema
	 * and the rules, and its tree is exactly what its bytes say.
	 */
	xmlDocDumpFormatMemoryEnc(xml, &mem, &size, "UTF-8", 1);
	xmlFreeDoc(xml);
	if (mem == NULL)
		return kel_fail(KEL_ENOMEM, "cannot serialise the document");
	rc = kel_doc_parse(out, (const char *)mem, (size_t)size);
	xmlFree(mem);
	return rc;
}

static int write_to_buf(void *ctx, const char *data, int len)
{
	return kel_buf_put(ctx, data, (size_t)len) == 0 ? len : -1;
}

/*
 * libxml2's document writers (xmlDocDumpMemoryEnc, xmlSaveDoc) set the tree's encoding field
 * to the output encoding for the time of the call: a write to a document that other threads
 * may be reading. So the declaration is written here, byte for byte as those write it, and
 * each top-level node with xmlSaveTree, which only reads. Attribute values come out as raw
 * UTF-8 only when the document has an encoding: doc_from_tree makes sure it has one.
 */
int kel_doc_write(kel_buf *out, const kel_doc *doc)
{
	kel_buf text = KEL_BUF_INIT;
	xmlSaveCtxtPtr save;
	int rc, failed = 0;

	if (out == NULL || doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_doc_write: NULL argument");
	rc = kel_buf_printf(&text, "<?xml version=\"%s\" encoding=\"UTF-8\"%s?>\n",
		doc->xml->version ? (const char *)doc->xml->version : "1.0",
		doc->xml->standalone == 1 ? " standalone=\"yes\"" :
		doc->xml->standalone == 0 ? " standalone=\"no\"" : "");
	save = rc == 0 ? xmlSaveToIO(write_to_buf, NULL, &text, "UTF-8", XML_SAVE_AS_XML) : NULL;
	if (save == NULL) {
		kel_buf_dispose(&text);
		return kel_fail(KEL_ENOMEM, "cannot serialise the document");
	}
	/* Each newline goes after what the save context still holds: flushed first. */
	for (xmlNodePtr n = doc->xml->children; n && !failed; n = n->next)
		failed = xmlSaveTree(save, n) < 0 || xmlSaveFlush(save) < 0 ||
			kel_buf_put(&text, "\n", 1) < 0;
	failed |= xmlSaveClose(save) < 0;
	if (failed) {
		kel_buf_dispose(&text);
		return kel_fail(KEL_ENOMEM, "cannot serialise the document");
	}
	kel_buf_dispose(out);
	*out = text;
	return 0;
}

const char *kel_doc_id(const kel_doc *doc) { return doc ? doc->id : NULL; }
kel_doc_type kel_doc_get_type(const kel_doc *doc) { return doc ? doc->type : 0; }
const char *kel_doc_issued_at(const kel_doc *doc) { return doc ? doc->issued_at : NULL; }
const char *kel_doc_subject_iin(const kel_doc *doc) { return doc ? doc->subject_iin : NULL; }
const char *kel_doc_operator_bin(const kel_doc *doc) { return doc ? doc->operator_bin : NULL; }
const char *kel_doc_languages(const kel_doc *doc) { return doc ? doc->languages : NULL; }

const char *kel_doc_refers_to(const kel_doc *doc)
{
	return doc && doc->refers_to[0] ? doc->refers_to : NULL;
}

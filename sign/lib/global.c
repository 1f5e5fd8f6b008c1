/*
 * kel_init / kel_shutdown: the set-up ladder of libxml2, libxslt and xmlsec, done once and
 * with everything that could reach outside the process turned off.
 */
#include <stdarg.h>
#include <stdio.h>
#include <pthread.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxslt/xslt.h>
#include <libxslt/security.h>
#include <libxslt/xsltutils.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/errors.h>
#include <xmlsec/crypto.h>

#include "kelisim/global.h"
#include "error_internal.h"
#include "buf_internal.h"
#include "schema.h"
#include "render_internal.h"
#include "xml_safe.h"
#include "x509_cache.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_count;
static xsltSecurityPrefsPtr xslt_prefs;
static xmlExternalEntityLoader previous_loader;

/*
 * Every external resource the XML stack would load — a DTD, an entity, a schema import, an
 * XSLT document() call — goes through this loader. It loads nothing: kelisim's inputs are
 * self-contained, and anything that points outside is an attack or a mistake.
 */
static xmlParserInputPtr refuse_external_entity(const char *url, const char *id,
	xmlParserCtxtPtr ctxt)
{
	(void)ctxt;
	kel__xmlerr_add("external resource refused: '%s'", url ? url : (id ? id : "?"));
	return NULL;
}

static void collect_xml_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	if (err == NULL || err->level == XML_ERR_WARNING)
		return;
	if (err->line > 0)
		kel__xmlerr_add("line %d: %s", err->line, err->message ? err->message : "?");
	else
		kel__xmlerr_add("%s", err->message ? err->message : "?");
}

static void collect_generic_error(void *ctx, const char *fmt, ...)
{
	va_list ap;
	char text[512];

	(void)ctx;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (text[0] != '\0' && text[0] != '\n')
		kel__xmlerr_add("%s", text);
}

static void collect_xmlsec_error(const char *file, int line, const char *func,
	const char *object, const char *subject, int reason, const char *msg)
{
	(void)file; (void)line; (void)func; (void)object;
	kel__xmlerr_add("xmlsec: %s%s%s (reason %d)", subject ? subject : "",
		subject ? ": " : "", msg ? msg : "", reason);
}

/* Route the error output of the XML stack of the calling thread into kelisim's collector. */
void kel__xml_errors_capture(void)
{
	xmlSetStructuredErrorFunc(NULL, collect_xml_error);
	xmlSetGenericErrorFunc(NULL, collect_generic_error);
	xsltSetGenericErrorFunc(NULL, collect_generic_error);
}

static int setup(void)
{
	xmlInitParser();
	previous_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(refuse_external_entity);
	/* Global defaults for any parse that does not set its own options. */
	xmlLoadExtDtdDefaultValue = 0;
	xmlSubstituteEntitiesDefault(0);
	kel__xml_errors_capture();

	xslt_prefs = xsltNewSecurityPrefs();
	if (xslt_prefs == NULL)
		return kel_fail(KEL_ENOMEM, "cannot allocate XSLT security preferences");
	if (xsltSetSecurityPrefs(xslt_prefs, XSLT_SECPREF_READ_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(xslt_prefs, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(xslt_prefs, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(xslt_prefs, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(xslt_prefs, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid))
		return kel_fail(KEL_ERROR, "cannot set XSLT security preferences");
	xsltSetDefaultSecurityPrefs(xslt_prefs);

	if (xmlSecInit() < 0)
		return kel_fail(KEL_ERROR, "xmlsec initialisation failed");
	if (xmlSecCheckVersion() != 1)
		return kel_fail(KEL_ERROR, "xmlsec library version does not match the headers");
	xmlSecErrorsSetCallback(collect_xmlsec_error);
	if (xmlSecCryptoAppInit(NULL) < 0)
		return kel_fail(KEL_ERROR, "xmlsec crypto application initialisation failed");
	if (xmlSecCryptoInit() < 0)
		return kel_fail(KEL_ERROR, "xmlsec crypto initialisation failed");

	return kel__schema_load();
}

static void teardown(void)
{
	kel__schema_unload();
	kel__render_shutdown();
	kel__x509_cache_clear();
	xmlSecCryptoShutdown();
	xmlSecCryptoAppShutdown();
	xmlSecShutdown();
	xsltSetDefaultSecurityPrefs(NULL);
	if (xslt_prefs) {
		xsltFreeSecurityPrefs(xslt_prefs);
		xslt_prefs = NULL;
	}
	xsltCleanupGlobals();
	xmlSetExternalEntityLoader(previous_loader);
	xmlCleanupParser();
	kel__error_thread_cleanup();
}

int kel_init(void)
{
	int rc = 0;

	pthread_mutex_lock(&init_lock);
	if (init_count == 0) {
		rc = setup();
		if (rc < 0)
			teardown();
	}
	if (rc == 0)
		init_count++;
	pthread_mutex_unlock(&init_lock);
	return rc;
}

void kel_shutdown(void)
{
	pthread_mutex_lock(&init_lock);
	if (init_count > 0 && --init_count == 0)
		teardown();
	pthread_mutex_unlock(&init_lock);
}

const char *kel_version(void)
{
	return KELISIM_VERSION;
}

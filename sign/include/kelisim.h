/*
 * kelisim — consent as a signed, verifiable, storable electronic document.
 *
 * The umbrella header: include this, or the module headers you need.
 */
#ifndef KELISIM_H
#define KELISIM_H

#include "kelisim/common.h"
#include "kelisim/error.h"
#include "kelisim/buf.h"
#include "kelisim/global.h"
#include "kelisim/kzid.h"
#include "kelisim/uuid.h"
#include "kelisim/doc.h"
#include "kelisim/tmpl.h"
#include "kelisim/key.h"
#include "kelisim/xades.h"
#include "kelisim/verify.h"
#include "kelisim/cert.h"
#include "kelisim/merkle.h"
#include "kelisim/render.h"
#include "kelisim/qr.h"
#include "kelisim/store.h"
#include "kelisim/evidence.h"

#endif

<?xml version="1.0" encoding="UTF-8"?>
<!--
  kelisim template "evidence-statement.en", version 1 (XSLT 1.0).
  Input: a Content element in urn:kelisim:consent:1 without Text children.
  Output: exactly one Text element with xml:lang="en".
  The SHA-256 of this file is recorded in every document rendered with it:
  any change, even in whitespace or comments, needs a new version (see templates/README.md).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="urn:kelisim:consent:1"
    xmlns:c="urn:kelisim:consent:1"
    xmlns:kt="urn:kelisim:template:1"
    exclude-result-prefixes="c kt">

  <kt:template name="evidence-statement.en" version="1" type="evidence-statement" lang="en"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="*"/>

  <xsl:template match="/">
    <xsl:for-each select="c:Content">
      <Text xml:lang="en">
        <Title><xsl:text>Confirmation of the lawful basis for processing personal data and of the data subjects’ notification of its transfer</xsl:text></Title>
        <Heading><xsl:text>Operator</xsl:text></Heading>
        <Item><xsl:text>Name: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Name)"/></Item>
        <Item><xsl:text>BIN: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:BIN)"/></Item>
        <Item><xsl:text>Address: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Address)"/></Item>
        <Item><xsl:text>Contact: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Contact)"/></Item>
        <xsl:for-each select="c:Processor">
          <Heading><xsl:text>Processor</xsl:text></Heading>
          <Item><xsl:text>Name: </xsl:text><xsl:value-of select="normalize-space(c:Name)"/></Item>
          <Item><xsl:text>BIN: </xsl:text><xsl:value-of select="normalize-space(c:BIN)"/></Item>
          <Item><xsl:text>Address: </xsl:text><xsl:value-of select="normalize-space(c:Address)"/></Item>
        </xsl:for-each>
        <xsl:for-each select="c:Statement">
          <Heading><xsl:text>The Processor’s request</xsl:text></Heading>
          <xsl:choose>
            <xsl:when test="c:Request">
              <Item><xsl:text>Request reference: </xsl:text><xsl:value-of select="normalize-space(c:Request/c:Reference)"/></Item>
              <Item><xsl:text>Date the request was received: </xsl:text><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Request/c:Received"/>
              </xsl:call-template></Item>
              <Item><xsl:text>Last day to provide the confirmation (5 calendar days from the day the request was received): </xsl:text><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Request/c:Due"/>
              </xsl:call-template></Item>
            </xsl:when>
            <xsl:otherwise>
              <Para><xsl:text>The Operator has issued this confirmation on its own initiative, without a separate request from the Processor.</xsl:text></Para>
            </xsl:otherwise>
          </xsl:choose>
          <Item>
            <xsl:text>Scope: </xsl:text>
            <xsl:choose>
              <xsl:when test="c:Scope/@Kind = 'all'"><xsl:text>all data subjects whose documents the Operator keeps</xsl:text></xsl:when>
              <xsl:when test="c:Scope/@Kind = 'request'"><xsl:text>the data subjects named in the Processor’s request</xsl:text></xsl:when>
              <xsl:otherwise><xsl:text>the data subjects listed below</xsl:text></xsl:otherwise>
            </xsl:choose>
            <xsl:if test="c:Scope/@Since or c:Scope/@Until">
              <xsl:text> (</xsl:text>
              <xsl:text>documents issued in the period </xsl:text>
              <xsl:if test="c:Scope/@Since"><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Scope/@Since"/>
              </xsl:call-template></xsl:if>
              <xsl:text> to </xsl:text>
              <xsl:if test="c:Scope/@Until"><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Scope/@Until"/>
              </xsl:call-template></xsl:if>
              <xsl:text>)</xsl:text>
            </xsl:if>
          </Item>
        </xsl:for-each>
        <Heading><xsl:text>Confirmation</xsl:text></Heading>
        <Para>
          <xsl:text>The Operator</xsl:text>
          <xsl:call-template name="operator-ref"/>
          <xsl:text>, under clause 4.8 of the instruction to process personal data, confirms to the Processor</xsl:text>
          <xsl:call-template name="processor-ref"/>
          <xsl:text> that, for each data subject listed below, it has a lawful basis for processing the personal data and the data subject was duly notified of their transfer to the Processor. This confirmation does not extend to the cases listed expressly under “Gaps found”.</xsl:text>
        </Para>
        <Para>
          <xsl:text>The supporting documents (the data subjects’ consents, the acknowledgments of the transfer notice and any withdrawals of consent) are signed with electronic digital signatures and attached to this confirmation in an electronic evidence bundle (an ASiC-E container). The inclusion of each document in the log of the Operator’s evidence store is shown by an inclusion proof against a signed Merkle tree head. SHA-256 digest of the bundle’s manifest: </xsl:text>
          <xsl:value-of select="normalize-space(c:Statement/c:Manifest/@SHA256)"/>
          <xsl:text>.</xsl:text>
        </Para>
        <xsl:for-each select="c:Statement">
          <Heading>
            <xsl:text>Data subjects</xsl:text>
            <xsl:if test="number(c:Part/@Of) &gt; 1">
              <xsl:text> (part </xsl:text>
              <xsl:value-of select="normalize-space(c:Part/@Number)"/>
              <xsl:text> of </xsl:text>
              <xsl:value-of select="normalize-space(c:Part/@Of)"/>
              <xsl:text>)</xsl:text>
            </xsl:if>
          </Heading>
          <xsl:for-each select="c:Entry">
            <Item>
              <xsl:text>IIN </xsl:text>
              <xsl:value-of select="normalize-space(c:IIN)"/>
              <xsl:if test="c:FullName">
                <xsl:text>, </xsl:text>
                <xsl:value-of select="normalize-space(c:FullName)"/>
              </xsl:if>
              <xsl:text>.</xsl:text>
              <xsl:choose>
                <xsl:when test="c:LawfulBasis">
                  <xsl:text> Lawful basis: consent to the processing of personal data, given on </xsl:text>
                  <xsl:call-template name="date">
                <xsl:with-param name="d" select="c:LawfulBasis/@Date"/>
              </xsl:call-template>
                  <xsl:text> (document </xsl:text>
                  <xsl:value-of select="normalize-space(c:LawfulBasis/@DocumentId)"/>
                  <xsl:text>).</xsl:text>
                </xsl:when>
                <xsl:otherwise><xsl:text> Lawful basis: not confirmed – no consent in force.</xsl:text></xsl:otherwise>
              </xsl:choose>
              <xsl:choose>
                <xsl:when test="c:TransferNotice">
                  <xsl:text> Transfer notice: acknowledged on </xsl:text>
                  <xsl:call-template name="date">
                <xsl:with-param name="d" select="c:TransferNotice/@Date"/>
              </xsl:call-template>
                  <xsl:text> (document </xsl:text>
                  <xsl:value-of select="normalize-space(c:TransferNotice/@DocumentId)"/>
                  <xsl:text>).</xsl:text>
                </xsl:when>
                <xsl:otherwise><xsl:text> Transfer notice: not confirmed – no acknowledgment of the notice.</xsl:text></xsl:otherwise>
              </xsl:choose>
              <xsl:text> Consent status now: </xsl:text>
              <xsl:call-template name="consent-status">
                <xsl:with-param name="code" select="c:Status"/>
              </xsl:call-template>
              <xsl:text> (</xsl:text>
              <xsl:value-of select="normalize-space(c:Status)"/>
              <xsl:text>).</xsl:text>
            </Item>
          </xsl:for-each>
          <Heading><xsl:text>Gaps found</xsl:text></Heading>
          <xsl:choose>
            <xsl:when test="c:Entry/c:Gap">
              <Para><xsl:text>For the following data subjects the confirmation cannot be given in full:</xsl:text></Para>
              <xsl:for-each select="c:Entry/c:Gap">
                <Item>
                  <xsl:text>IIN </xsl:text>
                  <xsl:value-of select="normalize-space(../c:IIN)"/>
                  <xsl:choose>
                    <xsl:when test="normalize-space(.) = 'no-consent-in-force'"><xsl:text>: no consent in force for the processing of personal data</xsl:text></xsl:when>
                    <xsl:otherwise><xsl:text>: no acknowledgment of the notice of the transfer of personal data to the Processor</xsl:text></xsl:otherwise>
                  </xsl:choose>
                </Item>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <Para><xsl:text>No gaps found: for every data subject listed in this part there is a consent in force and an acknowledgment of the transfer notice.</xsl:text></Para>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <Heading><xsl:text>Issue of this confirmation</xsl:text></Heading>
        <Item>
          <xsl:text>Date and time of issue: </xsl:text>
          <xsl:call-template name="datetime">
            <xsl:with-param name="t" select="c:Header/c:IssuedAt"/>
          </xsl:call-template>
        </Item>
        <Item>
          <xsl:text>Document id: </xsl:text>
          <xsl:value-of select="normalize-space(c:Header/c:DocumentId)"/>
        </Item>
        <Para><xsl:text>The Operator signs this confirmation with its electronic digital signature.</xsl:text></Para>
      </Text>
    </xsl:for-each>
  </xsl:template>

  <!-- A consent's status (W3C DPV), in words. -->
  <xsl:template name="consent-status">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'ConsentGiven'"><xsl:text>consent given and in force</xsl:text></xsl:when>
      <xsl:when test="$k = 'ConsentWithdrawn'"><xsl:text>consent withdrawn</xsl:text></xsl:when>
      <xsl:when test="$k = 'ConsentExpired'"><xsl:text>consent expired</xsl:text></xsl:when>
      <xsl:otherwise><xsl:text>no consent found</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================
       English helpers. The same set is carried by every *.en.xsl file
       (xsl:include is not allowed); keep the copies identical.
       ============================================================ -->

  <!-- A value that ends a sentence: add a full stop unless it has one. -->
  <xsl:template name="v-end">
    <xsl:param name="v"/>
    <xsl:variable name="s" select="normalize-space($v)"/>
    <xsl:value-of select="$s"/>
    <xsl:if test="not(contains('.!?', substring($s, string-length($s))))">
      <xsl:text>.</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template name="month">
    <xsl:param name="m"/>
    <xsl:choose>
      <xsl:when test="$m = '01'"><xsl:text>January</xsl:text></xsl:when>
      <xsl:when test="$m = '02'"><xsl:text>February</xsl:text></xsl:when>
      <xsl:when test="$m = '03'"><xsl:text>March</xsl:text></xsl:when>
      <xsl:when test="$m = '04'"><xsl:text>April</xsl:text></xsl:when>
      <xsl:when test="$m = '05'"><xsl:text>May</xsl:text></xsl:when>
      <xsl:when test="$m = '06'"><xsl:text>June</xsl:text></xsl:when>
      <xsl:when test="$m = '07'"><xsl:text>July</xsl:text></xsl:when>
      <xsl:when test="$m = '08'"><xsl:text>August</xsl:text></xsl:when>
      <xsl:when test="$m = '09'"><xsl:text>September</xsl:text></xsl:when>
      <xsl:when test="$m = '10'"><xsl:text>October</xsl:text></xsl:when>
      <xsl:when test="$m = '11'"><xsl:text>November</xsl:text></xsl:when>
      <xsl:when test="$m = '12'"><xsl:text>December</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$m"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- YYYY-MM-DD as "25 November 2026". -->
  <xsl:template name="date">
    <xsl:param name="d"/>
    <xsl:variable name="s" select="normalize-space($d)"/>
    <xsl:value-of select="number(substring($s, 9, 2))"/>
    <xsl:text> </xsl:text>
    <xsl:call-template name="month">
      <xsl:with-param name="m" select="substring($s, 6, 2)"/>
    </xsl:call-template>
    <xsl:text> </xsl:text>
    <xsl:value-of select="substring($s, 1, 4)"/>
  </xsl:template>

  <!-- YYYY-MM-DDThh:mm:ssZ as "25 November 2026, 09:15 UTC". -->
  <xsl:template name="datetime">
    <xsl:param name="t"/>
    <xsl:variable name="s" select="normalize-space($t)"/>
    <xsl:call-template name="date">
      <xsl:with-param name="d" select="substring($s, 1, 10)"/>
    </xsl:call-template>
    <xsl:text>, </xsl:text>
    <xsl:value-of select="substring($s, 12, 5)"/>
    <xsl:text> UTC</xsl:text>
  </xsl:template>

  <!-- ISO 3166-1 alpha-2 code as a country name (with "the" where English needs it);
       unknown codes as they are. -->
  <xsl:template name="country">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'KZ'"><xsl:text>the Republic of Kazakhstan</xsl:text></xsl:when>
      <xsl:when test="$k = 'RU'"><xsl:text>the Russian Federation</xsl:text></xsl:when>
      <xsl:when test="$k = 'DE'"><xsl:text>Germany</xsl:text></xsl:when>
      <xsl:when test="$k = 'NL'"><xsl:text>the Netherlands</xsl:text></xsl:when>
      <xsl:when test="$k = 'US'"><xsl:text>the United States of America</xsl:text></xsl:when>
      <xsl:when test="$k = 'GB'"><xsl:text>the United Kingdom</xsl:text></xsl:when>
      <xsl:when test="$k = 'IE'"><xsl:text>Ireland</xsl:text></xsl:when>
      <xsl:when test="$k = 'FI'"><xsl:text>Finland</xsl:text></xsl:when>
      <xsl:when test="$k = 'FR'"><xsl:text>France</xsl:text></xsl:when>
      <xsl:when test="$k = 'LV'"><xsl:text>Latvia</xsl:text></xsl:when>
      <xsl:when test="$k = 'LT'"><xsl:text>Lithuania</xsl:text></xsl:when>
      <xsl:when test="$k = 'EE'"><xsl:text>Estonia</xsl:text></xsl:when>
      <xsl:when test="$k = 'PL'"><xsl:text>Poland</xsl:text></xsl:when>
      <xsl:when test="$k = 'TR'"><xsl:text>Türkiye</xsl:text></xsl:when>
      <xsl:when test="$k = 'AE'"><xsl:text>the United Arab Emirates</xsl:text></xsl:when>
      <xsl:when test="$k = 'CN'"><xsl:text>the People's Republic of China</xsl:text></xsl:when>
      <xsl:when test="$k = 'KG'"><xsl:text>the Kyrgyz Republic</xsl:text></xsl:when>
      <xsl:when test="$k = 'UZ'"><xsl:text>the Republic of Uzbekistan</xsl:text></xsl:when>
      <xsl:when test="$k = 'BY'"><xsl:text>the Republic of Belarus</xsl:text></xsl:when>
      <xsl:when test="$k = 'AM'"><xsl:text>the Republic of Armenia</xsl:text></xsl:when>
      <xsl:when test="$k = 'AZ'"><xsl:text>the Republic of Azerbaijan</xsl:text></xsl:when>
      <xsl:when test="$k = 'GE'"><xsl:text>Georgia</xsl:text></xsl:when>
      <xsl:when test="$k = 'SG'"><xsl:text>Singapore</xsl:text></xsl:when>
      <xsl:when test="$k = 'IN'"><xsl:text>India</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Processing action codes, worded after clause 1.2.2 of the processing agreement. -->
  <xsl:template name="action">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'collect'"><xsl:text>Collection (accumulation)</xsl:text></xsl:when>
      <xsl:when test="$k = 'store'"><xsl:text>Storage</xsl:text></xsl:when>
      <xsl:when test="$k = 'provide'"><xsl:text>Provision (transfer, access) when the Operator selects the relevant function</xsl:text></xsl:when>
      <xsl:when test="$k = 'delete'"><xsl:text>Deletion (destruction)</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Capture/Method codes. -->
  <xsl:template name="capture-method">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'eds'"><xsl:text>signing with an electronic digital signature (EDS)</xsl:text></xsl:when>
      <xsl:when test="$k = 'sms-otp'"><xsl:text>confirmation with a one-time code sent by SMS</xsl:text></xsl:when>
      <xsl:when test="$k = 'in-person'"><xsl:text>in person, in writing</xsl:text></xsl:when>
      <xsl:when test="$k = 'web'"><xsl:text>on a website</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="lang-name">
    <xsl:param name="code"/>
    <xsl:choose>
      <xsl:when test="$code = 'kk'"><xsl:text>Kazakh</xsl:text></xsl:when>
      <xsl:when test="$code = 'ru'"><xsl:text>Russian</xsl:text></xsl:when>
      <xsl:when test="$code = 'en'"><xsl:text>English</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$code"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "kk ru" as "Kazakh and Russian"; "kk ru en" as "Kazakh, Russian and English". -->
  <xsl:template name="lang-list">
    <xsl:param name="list"/>
    <xsl:variable name="first" select="substring-before(concat($list, ' '), ' ')"/>
    <xsl:variable name="rest" select="substring-after($list, ' ')"/>
    <xsl:call-template name="lang-name">
      <xsl:with-param name="code" select="$first"/>
    </xsl:call-template>
    <xsl:if test="$rest != ''">
      <xsl:choose>
        <xsl:when test="contains($rest, ' ')"><xsl:text>, </xsl:text></xsl:when>
        <xsl:otherwise><xsl:text> and </xsl:text></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="lang-list">
        <xsl:with-param name="list" select="$rest"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- "in Kazakh and Russian", from Header/Languages. -->
  <xsl:template name="languages">
    <xsl:text>in </xsl:text>
    <xsl:call-template name="lang-list">
      <xsl:with-param name="list" select="normalize-space(c:Header/c:Languages)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="law">
    <xsl:text>Law of the Republic of Kazakhstan No. 94-V of 21 May 2013 “On Personal Data and Their Protection”</xsl:text>
  </xsl:template>

  <!-- " («Дала Сауда» ЖШС, BIN 990340000004)", with a leading space. -->
  <xsl:template name="operator-ref">
    <xsl:text> (</xsl:text>
    <xsl:value-of select="normalize-space(c:Operator/c:Name)"/>
    <xsl:text>, BIN </xsl:text>
    <xsl:value-of select="normalize-space(c:Operator/c:BIN)"/>
    <xsl:text>)</xsl:text>
  </xsl:template>

  <!-- " (name, BIN ..., address: ...)" with a leading space, or nothing without a Processor. -->
  <xsl:template name="processor-ref">
    <xsl:for-each select="c:Processor">
      <xsl:text> (</xsl:text>
      <xsl:value-of select="normalize-space(c:Name)"/>
      <xsl:text>, BIN </xsl:text>
      <xsl:value-of select="normalize-space(c:BIN)"/>
      <xsl:text>, address: </xsl:text>
      <xsl:value-of select="normalize-space(c:Address)"/>
      <xsl:text>)</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- Where the Processor's servers are, as Terms/Storage states it; without Storage, the
       data centres in the Republic of Kazakhstan of clause 1.2.2 of the processing agreement. -->
  <xsl:template name="dc-phrase">
    <xsl:text>on servers in data centres located in </xsl:text>
    <xsl:choose>
      <xsl:when test="not(c:Terms/c:Storage)">
        <xsl:text>the Republic of Kazakhstan</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="country">
          <xsl:with-param name="code" select="c:Terms/c:Storage/@Country"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Opening of a first-person statement, up to and including the comma and space:
       "I, X (IIN ...), " or, with a representative,
       "I, R (IIN ...), acting on behalf of the data subject (...) as the subject's representative (...), " -->
  <xsl:template name="i-intro">
    <xsl:text>I, </xsl:text>
    <xsl:choose>
      <xsl:when test="c:Subject/c:Representative">
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:FullName)"/>
        <xsl:text> (IIN </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:IIN)"/>
        <xsl:text>), acting on behalf of the data subject (full name: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
        <xsl:text>, IIN </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
        <xsl:text>) as the subject's representative (basis of authority: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:Basis)"/>
        <xsl:text>), </xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
        <xsl:text> (IIN </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
        <xsl:text>), </xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Whose data: "my personal data" / "the data subject's personal data". -->
  <xsl:template name="owner">
    <xsl:choose>
      <xsl:when test="c:Subject/c:Representative">
        <xsl:text>the data subject's personal data</xsl:text>
      </xsl:when>
      <xsl:otherwise><xsl:text>my personal data</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Subject, representative, operator and processor as labelled list items. -->
  <xsl:template name="parties">
    <Heading><xsl:text>Data subject</xsl:text></Heading>
    <Item>
      <xsl:text>Full name: </xsl:text>
      <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
    </Item>
    <Item>
      <xsl:text>IIN: </xsl:text>
      <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
    </Item>
    <xsl:if test="c:Subject/c:Phone">
      <Item>
        <xsl:text>Phone number: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Phone)"/>
      </Item>
    </xsl:if>
    <xsl:if test="c:Subject/c:Email">
      <Item>
        <xsl:text>Email address: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Email)"/>
      </Item>
    </xsl:if>
    <xsl:for-each select="c:Subject/c:Representative">
      <Heading><xsl:text>Representative of the data subject</xsl:text></Heading>
      <Item>
        <xsl:text>Full name: </xsl:text>
        <xsl:value-of select="normalize-space(c:FullName)"/>
      </Item>
      <Item>
        <xsl:text>IIN: </xsl:text>
        <xsl:value-of select="normalize-space(c:IIN)"/>
      </Item>
      <Item>
        <xsl:text>Basis of authority: </xsl:text>
        <xsl:value-of select="normalize-space(c:Basis)"/>
      </Item>
    </xsl:for-each>
    <Heading><xsl:text>Operator</xsl:text></Heading>
    <Item>
      <xsl:text>Name: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Name)"/>
    </Item>
    <Item>
      <xsl:text>BIN: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:BIN)"/>
    </Item>
    <Item>
      <xsl:text>Address: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Address)"/>
    </Item>
    <Item>
      <xsl:text>Contact details: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Contact)"/>
    </Item>
    <xsl:for-each select="c:Processor">
      <Heading><xsl:text>Processor</xsl:text></Heading>
      <Item>
        <xsl:text>Name: </xsl:text>
        <xsl:value-of select="normalize-space(c:Name)"/>
      </Item>
      <Item>
        <xsl:text>BIN: </xsl:text>
        <xsl:value-of select="normalize-space(c:BIN)"/>
      </Item>
      <Item>
        <xsl:text>Address: </xsl:text>
        <xsl:value-of select="normalize-space(c:Address)"/>
      </Item>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="purposes-block">
    <xsl:param name="heading"/>
    <xsl:if test="c:Terms/c:Purposes/c:Purpose">
      <Heading><xsl:value-of select="$heading"/></Heading>
      <xsl:for-each select="c:Terms/c:Purposes/c:Purpose">
        <Item><xsl:value-of select="normalize-space(.)"/></Item>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template name="data-block">
    <xsl:param name="heading"/>
    <xsl:if test="c:Terms/c:DataCategories/c:Data">
      <Heading><xsl:value-of select="$heading"/></Heading>
      <xsl:for-each select="c:Terms/c:DataCategories/c:Data">
        <Item><xsl:value-of select="normalize-space(.)"/></Item>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template name="actions-block">
    <xsl:param name="heading"/>
    <xsl:if test="c:Terms/c:Actions/c:Action">
      <Heading><xsl:value-of select="$heading"/></Heading>
      <xsl:for-each select="c:Terms/c:Actions/c:Action">
        <Item>
          <xsl:call-template name="action">
            <xsl:with-param name="code" select="."/>
          </xsl:call-template>
        </Item>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template name="storage-block">
    <xsl:for-each select="c:Terms/c:Storage">
      <Heading><xsl:text>Place of storage of personal data</xsl:text></Heading>
      <Para>
        <xsl:text>Storage location: </xsl:text>
        <xsl:call-template name="v-end">
          <xsl:with-param name="v" select="c:Location"/>
        </xsl:call-template>
        <xsl:text> Country: </xsl:text>
        <xsl:call-template name="country">
          <xsl:with-param name="code" select="@Country"/>
        </xsl:call-template>
        <xsl:text>.</xsl:text>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="period-block">
    <xsl:param name="heading"/>
    <xsl:for-each select="c:Terms/c:Period">
      <Heading><xsl:value-of select="$heading"/></Heading>
      <Para>
        <xsl:text>This consent is valid </xsl:text>
        <xsl:choose>
          <xsl:when test="c:From">
            <xsl:text>from </xsl:text>
            <xsl:call-template name="date">
              <xsl:with-param name="d" select="c:From"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise><xsl:text>from the moment it is given</xsl:text></xsl:otherwise>
        </xsl:choose>
        <xsl:choose>
          <xsl:when test="c:Until">
            <xsl:text> up to and including </xsl:text>
            <xsl:call-template name="date">
              <xsl:with-param name="d" select="c:Until"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text> until the purposes of processing the personal data have been achieved</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text>, unless it is withdrawn earlier.</xsl:text>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="third-parties-block">
    <xsl:for-each select="c:Terms/c:ThirdParties">
      <Heading><xsl:text>Transfer of personal data to third parties</xsl:text></Heading>
      <Para>
        <xsl:choose>
          <xsl:when test="normalize-space(.) = 'true' or normalize-space(.) = '1'">
            <xsl:text>I consent to the transfer of the personal data to third parties.</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>I do not consent to the transfer of the personal data to third parties.</xsl:text>
            <xsl:if test="../../c:Processor">
              <xsl:text> This restriction does not apply to the transfer of the personal data for storage to the Processor named in this document.</xsl:text>
            </xsl:if>
          </xsl:otherwise>
        </xsl:choose>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <!-- Recipients as "name — country" items. -->
  <xsl:template name="recipients">
    <xsl:for-each select="c:Terms/c:CrossBorder/c:Recipient">
      <Item>
        <xsl:value-of select="normalize-space(c:Name)"/>
        <xsl:text> — </xsl:text>
        <xsl:call-template name="country">
          <xsl:with-param name="code" select="@Country"/>
        </xsl:call-template>
      </Item>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="cross-border-block">
    <xsl:for-each select="c:Terms/c:CrossBorder">
      <Heading><xsl:text>Cross-border transfer of personal data</xsl:text></Heading>
      <xsl:choose>
        <xsl:when test="normalize-space(@Allowed) = 'true' or normalize-space(@Allowed) = '1'">
          <Para>
            <xsl:text>I consent to the cross-border transfer of the personal data.</xsl:text>
            <xsl:if test="c:Recipient">
              <xsl:text> Recipients of the personal data and the countries where they are located:</xsl:text>
            </xsl:if>
          </Para>
          <xsl:for-each select="../..">
            <xsl:call-template name="recipients"/>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <Para><xsl:text>I do not consent to the cross-border transfer of the personal data.</xsl:text></Para>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="public-sources-block">
    <xsl:for-each select="c:Terms/c:PublicSources">
      <Heading><xsl:text>Publicly available sources of personal data</xsl:text></Heading>
      <Para>
        <xsl:choose>
          <xsl:when test="normalize-space(.) = 'true' or normalize-space(.) = '1'">
            <xsl:text>I consent to the personal data being disseminated in publicly available sources of personal data.</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>I do not consent to the personal data being disseminated in publicly available sources of personal data.</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="withdrawal-block">
    <Heading><xsl:text>Withdrawal of consent</xsl:text></Heading>
    <xsl:for-each select="c:Terms/c:WithdrawalMethod">
      <Para>
        <xsl:text>Method of withdrawing consent: </xsl:text>
        <xsl:call-template name="v-end">
          <xsl:with-param name="v" select="."/>
        </xsl:call-template>
      </Para>
    </xsl:for-each>
    <Para>
      <xsl:text>Withdrawal of consent does not affect the lawfulness of processing carried out on the basis of the consent before its withdrawal.</xsl:text>
    </Para>
  </xsl:template>

  <xsl:template name="jurisdiction-block">
    <Heading><xsl:text>Governing law</xsl:text></Heading>
    <Para>
      <xsl:choose>
        <xsl:when test="not(c:Terms/c:Jurisdiction) or normalize-space(c:Terms/c:Jurisdiction) = 'KZ'">
          <xsl:text>This document is governed by the law of the Republic of Kazakhstan.</xsl:text>
        </xsl:when>
        <xsl:otherwise>
          <xsl:text>This document is governed by the law of the following country: </xsl:text>
          <xsl:call-template name="country">
            <xsl:with-param name="code" select="c:Terms/c:Jurisdiction"/>
          </xsl:call-template>
          <xsl:text>.</xsl:text>
        </xsl:otherwise>
      </xsl:choose>
    </Para>
  </xsl:template>

  <!-- How and when the document was made. -->
  <xsl:template name="capture-block">
    <xsl:param name="heading"/>
    <xsl:param name="label"/>
    <xsl:param name="clerk-label" select="'Recorded by (employee or system)'"/>
    <Heading><xsl:value-of select="$heading"/></Heading>
    <Item>
      <xsl:value-of select="$label"/>
      <xsl:text>: </xsl:text>
      <xsl:call-template name="capture-method">
        <xsl:with-param name="code" select="c:Capture/c:Method"/>
      </xsl:call-template>
    </Item>
    <Item>
      <xsl:text>Channel: </xsl:text>
      <xsl:value-of select="normalize-space(c:Capture/c:Channel)"/>
    </Item>
    <xsl:if test="c:Capture/c:Clerk">
      <Item>
        <xsl:value-of select="$clerk-label"/>
        <xsl:text>: </xsl:text>
        <xsl:value-of select="normalize-space(c:Capture/c:Clerk)"/>
      </Item>
    </xsl:if>
    <Item>
      <xsl:text>Date and time of issue: </xsl:text>
      <xsl:call-template name="datetime">
        <xsl:with-param name="t" select="c:Header/c:IssuedAt"/>
      </xsl:call-template>
    </Item>
    <Item>
      <xsl:text>Document identifier: </xsl:text>
      <xsl:value-of select="normalize-space(c:Header/c:DocumentId)"/>
    </Item>
  </xsl:template>

</xsl:stylesheet>

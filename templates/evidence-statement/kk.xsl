<?xml version="1.0" encoding="UTF-8"?>
<!--
  kelisim template "evidence-statement.kk", version 1 (XSLT 1.0).
  Input: a Content element in urn:kelisim:consent:1 without Text children.
  Output: exactly one Text element with xml:lang="kk".
  The SHA-256 of this file is recorded in every document rendered with it:
  any change, even in whitespace or comments, needs a new version (see templates/README.md).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="urn:kelisim:consent:1"
    xmlns:c="urn:kelisim:consent:1"
    xmlns:kt="urn:kelisim:template:1"
    exclude-result-prefixes="c kt">

  <kt:template name="evidence-statement.kk" version="1" type="evidence-statement" lang="kk"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="*"/>

  <xsl:template match="/">
    <xsl:for-each select="c:Content">
      <Text xml:lang="kk">
        <Title><xsl:text>Дербес деректерді өңдеуге құқықтық негіздердің бар екендігін және дербес деректер субъектілерінің олардың берілуі туралы хабардар етілгенін растау</xsl:text></Title>
        <Heading><xsl:text>Оператор</xsl:text></Heading>
        <Item><xsl:text>Атауы: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Name)"/></Item>
        <Item><xsl:text>БСН: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:BIN)"/></Item>
        <Item><xsl:text>Мекенжайы: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Address)"/></Item>
        <Item><xsl:text>Байланыс деректері: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Contact)"/></Item>
        <xsl:for-each select="c:Processor">
          <Heading><xsl:text>Өңдеуші</xsl:text></Heading>
          <Item><xsl:text>Атауы: </xsl:text><xsl:value-of select="normalize-space(c:Name)"/></Item>
          <Item><xsl:text>БСН: </xsl:text><xsl:value-of select="normalize-space(c:BIN)"/></Item>
          <Item><xsl:text>Мекенжайы: </xsl:text><xsl:value-of select="normalize-space(c:Address)"/></Item>
        </xsl:for-each>
        <xsl:for-each select="c:Statement">
          <Heading><xsl:text>Өңдеушінің сұранысы</xsl:text></Heading>
          <xsl:choose>
            <xsl:when test="c:Request">
              <Item><xsl:text>Сұраныстың деректемелері: </xsl:text><xsl:value-of select="normalize-space(c:Request/c:Reference)"/></Item>
              <Item><xsl:text>Сұраныстың алынған күні: </xsl:text><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Request/c:Received"/>
              </xsl:call-template></Item>
              <Item><xsl:text>Растауды ұсынудың соңғы күні (сұраныс алынған күннен бастап 5 күнтізбелік күн): </xsl:text><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Request/c:Due"/>
              </xsl:call-template></Item>
            </xsl:when>
            <xsl:otherwise>
              <Para><xsl:text>Бұл растауды Оператор Өңдеушінің жеке сұранысынсыз, өз бастамасы бойынша ресімдеді.</xsl:text></Para>
            </xsl:otherwise>
          </xsl:choose>
          <Item>
            <xsl:text>Қамту аясы: </xsl:text>
            <xsl:choose>
              <xsl:when test="c:Scope/@Kind = 'all'"><xsl:text>Операторда құжаттары сақталған барлық дербес деректер субъектілері</xsl:text></xsl:when>
              <xsl:when test="c:Scope/@Kind = 'request'"><xsl:text>Өңдеушінің сұранысында көрсетілген дербес деректер субъектілері</xsl:text></xsl:when>
              <xsl:otherwise><xsl:text>төменде көрсетілген дербес деректер субъектілері</xsl:text></xsl:otherwise>
            </xsl:choose>
            <xsl:if test="c:Scope/@Since or c:Scope/@Until">
              <xsl:text> (</xsl:text>
              <xsl:text>құжаттардың ресімделген кезеңі: </xsl:text>
              <xsl:if test="c:Scope/@Since"><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Scope/@Since"/>
              </xsl:call-template></xsl:if>
              <xsl:text> – </xsl:text>
              <xsl:if test="c:Scope/@Until"><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Scope/@Until"/>
              </xsl:call-template></xsl:if>
              <xsl:text>)</xsl:text>
            </xsl:if>
          </Item>
        </xsl:for-each>
        <Heading><xsl:text>Растау</xsl:text></Heading>
        <Para>
          <xsl:text>Оператор</xsl:text>
          <xsl:call-template name="operator-ref"/>
          <xsl:text> Дербес деректерді өңдеуге тапсырманың 4.8-тармағына сәйкес Өңдеушіге</xsl:text>
          <xsl:call-template name="processor-ref"/>
          <xsl:text> төменде көрсетілген әрбір дербес деректер субъектісіне қатысты дербес деректерді өңдеуге құқықтық негіздердің бар екендігін және дербес деректер субъектісінің олардың Өңдеушіге берілуі туралы тиісті түрде хабардар етілгенінің фактісін растайды. «Анықталған олқылықтар» бөлімінде тікелей көрсетілген жағдайлар бұл растауға жатпайды.</xsl:text>
        </Para>
        <Para>
          <xsl:text>Растаушы құжаттар (дербес деректер субъектілерінің келісімдері, дербес деректердің берілуі туралы хабардар етудің растамалары, сондай-ақ бар болса, келісімді кері қайтарып алу туралы құжаттар) электрондық цифрлық қолтаңбамен қол қойылған және осы растауға электрондық дәлелдемелер пакетінде (ASiC-E контейнері) қоса беріледі. Әрбір құжаттың Оператордың дәлелдемелер қоймасының журналына енгізілгені Меркл ағашының қол қойылған түбіріне қатысты енгізу дәлелімен расталады. Пакет манифестінің SHA-256 дайджесі: </xsl:text>
          <xsl:value-of select="normalize-space(c:Statement/c:Manifest/@SHA256)"/>
          <xsl:text>.</xsl:text>
        </Para>
        <xsl:for-each select="c:Statement">
          <Heading>
            <xsl:text>Дербес деректер субъектілері бойынша мәліметтер</xsl:text>
            <xsl:if test="number(c:Part/@Of) &gt; 1">
              <xsl:text> (</xsl:text>
              <xsl:value-of select="normalize-space(c:Part/@Number)"/>
              <xsl:text>-бөлім, барлығы </xsl:text>
              <xsl:value-of select="normalize-space(c:Part/@Of)"/>
              <xsl:text> бөлім)</xsl:text>
            </xsl:if>
          </Heading>
          <xsl:for-each select="c:Entry">
            <Item>
              <xsl:text>ЖСН </xsl:text>
              <xsl:value-of select="normalize-space(c:IIN)"/>
              <xsl:if test="c:FullName">
                <xsl:text>, </xsl:text>
                <xsl:value-of select="normalize-space(c:FullName)"/>
              </xsl:if>
              <xsl:text>.</xsl:text>
              <xsl:choose>
                <xsl:when test="c:LawfulBasis">
                  <xsl:text> Құқықтық негіз: дербес деректерді өңдеуге келісім, берілген күні: </xsl:text>
                  <xsl:call-template name="date">
                <xsl:with-param name="d" select="c:LawfulBasis/@Date"/>
              </xsl:call-template>
                  <xsl:text> (құжат </xsl:text>
                  <xsl:value-of select="normalize-space(c:LawfulBasis/@DocumentId)"/>
                  <xsl:text>).</xsl:text>
                </xsl:when>
                <xsl:otherwise><xsl:text> Құқықтық негіз: расталмады – әрекеттегі келісім жоқ.</xsl:text></xsl:otherwise>
              </xsl:choose>
              <xsl:choose>
                <xsl:when test="c:TransferNotice">
                  <xsl:text> Берілуі туралы хабардар ету: расталған, растаманың күні: </xsl:text>
                  <xsl:call-template name="date">
                <xsl:with-param name="d" select="c:TransferNotice/@Date"/>
              </xsl:call-template>
                  <xsl:text> (құжат </xsl:text>
                  <xsl:value-of select="normalize-space(c:TransferNotice/@DocumentId)"/>
                  <xsl:text>).</xsl:text>
                </xsl:when>
                <xsl:otherwise><xsl:text> Берілуі туралы хабардар ету: расталмады – хабардар етудің растамасы жоқ.</xsl:text></xsl:otherwise>
              </xsl:choose>
              <xsl:text> Келісімнің қазіргі мәртебесі: </xsl:text>
              <xsl:call-template name="consent-status">
                <xsl:with-param name="code" select="c:Status"/>
              </xsl:call-template>
              <xsl:text> (</xsl:text>
              <xsl:value-of select="normalize-space(c:Status)"/>
              <xsl:text>).</xsl:text>
            </Item>
          </xsl:for-each>
          <Heading><xsl:text>Анықталған олқылықтар</xsl:text></Heading>
          <xsl:choose>
            <xsl:when test="c:Entry/c:Gap">
              <Para><xsl:text>Мына дербес деректер субъектілері бойынша растау толық көлемде ұсынылмайды:</xsl:text></Para>
              <xsl:for-each select="c:Entry/c:Gap">
                <Item>
                  <xsl:text>ЖСН </xsl:text>
                  <xsl:value-of select="normalize-space(../c:IIN)"/>
                  <xsl:choose>
                    <xsl:when test="normalize-space(.) = 'no-consent-in-force'"><xsl:text>: дербес деректерді өңдеуге әрекеттегі келісім жоқ</xsl:text></xsl:when>
                    <xsl:otherwise><xsl:text>: дербес деректердің Өңдеушіге берілуі туралы хабардар етудің растамасы жоқ</xsl:text></xsl:otherwise>
                  </xsl:choose>
                </Item>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <Para><xsl:text>Олқылықтар анықталған жоқ: осы бөлімде көрсетілген әрбір дербес деректер субъектісі бойынша әрекеттегі келісім де, берілуі туралы хабардар етудің растамасы да бар.</xsl:text></Para>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <Heading><xsl:text>Растаудың ресімделуі</xsl:text></Heading>
        <Item>
          <xsl:text>Ресімделген күні мен уақыты: </xsl:text>
          <xsl:call-template name="datetime">
            <xsl:with-param name="t" select="c:Header/c:IssuedAt"/>
          </xsl:call-template>
        </Item>
        <Item>
          <xsl:text>Құжаттың сәйкестендіргіші: </xsl:text>
          <xsl:value-of select="normalize-space(c:Header/c:DocumentId)"/>
        </Item>
        <Para><xsl:text>Осы растауға Оператор электрондық цифрлық қолтаңбамен қол қояды.</xsl:text></Para>
      </Text>
    </xsl:for-each>
  </xsl:template>

  <!-- A consent's status (W3C DPV), in words. -->
  <xsl:template name="consent-status">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'ConsentGiven'"><xsl:text>келісім берілген және қолданыста</xsl:text></xsl:when>
      <xsl:when test="$k = 'ConsentWithdrawn'"><xsl:text>келісім кері қайтарып алынған</xsl:text></xsl:when>
      <xsl:when test="$k = 'ConsentExpired'"><xsl:text>келісімнің қолданылу мерзімі өткен</xsl:text></xsl:when>
      <xsl:otherwise><xsl:text>келісім табылмады</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================
       Kazakh helpers. The same set is carried by every *.kk.xsl file
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

  <!-- Month name: case 'nom' (қараша), 'abl' (қарашадан), 'acc' (қарашаны). -->
  <xsl:template name="month">
    <xsl:param name="m"/>
    <xsl:param name="case" select="'nom'"/>
    <xsl:choose>
      <xsl:when test="$m = '01'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>қаңтардан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>қаңтарды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>қаңтар</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '02'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>ақпаннан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>ақпанды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>ақпан</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '03'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>наурыздан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>наурызды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>наурыз</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '04'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>сәуірден</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>сәуірді</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>сәуір</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '05'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>мамырдан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>мамырды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>мамыр</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '06'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>маусымнан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>маусымды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>маусым</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '07'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>шілдеден</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>шілдені</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>шілде</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '08'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>тамыздан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>тамызды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>тамыз</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '09'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>қыркүйектен</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>қыркүйекті</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>қыркүйек</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '10'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>қазаннан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>қазанды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>қазан</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '11'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>қарашадан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>қарашаны</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>қараша</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$m = '12'">
        <xsl:choose>
          <xsl:when test="$case = 'abl'"><xsl:text>желтоқсаннан</xsl:text></xsl:when>
          <xsl:when test="$case = 'acc'"><xsl:text>желтоқсанды</xsl:text></xsl:when>
          <xsl:otherwise><xsl:text>желтоқсан</xsl:text></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$m"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- YYYY-MM-DD as «2026 жылғы 25 қараша» (the case applies to the month). -->
  <xsl:template name="date">
    <xsl:param name="d"/>
    <xsl:param name="case" select="'nom'"/>
    <xsl:variable name="s" select="normalize-space($d)"/>
    <xsl:value-of select="substring($s, 1, 4)"/>
    <xsl:text> жылғы </xsl:text>
    <xsl:value-of select="number(substring($s, 9, 2))"/>
    <xsl:text> </xsl:text>
    <xsl:call-template name="month">
      <xsl:with-param name="m" select="substring($s, 6, 2)"/>
      <xsl:with-param name="case" select="$case"/>
    </xsl:call-template>
  </xsl:template>

  <!-- YYYY-MM-DDThh:mm:ssZ as «2026 жылғы 25 қараша, 09:15 (UTC)». -->
  <xsl:template name="datetime">
    <xsl:param name="t"/>
    <xsl:variable name="s" select="normalize-space($t)"/>
    <xsl:call-template name="date">
      <xsl:with-param name="d" select="substring($s, 1, 10)"/>
    </xsl:call-template>
    <xsl:text>, </xsl:text>
    <xsl:value-of select="substring($s, 12, 5)"/>
    <xsl:text> (UTC)</xsl:text>
  </xsl:template>

  <!-- ISO 3166-1 alpha-2 code as a country name (nominative); unknown codes as they are. -->
  <xsl:template name="country">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'KZ'"><xsl:text>Қазақстан Республикасы</xsl:text></xsl:when>
      <xsl:when test="$k = 'RU'"><xsl:text>Ресей Федерациясы</xsl:text></xsl:when>
      <xsl:when test="$k = 'DE'"><xsl:text>Германия</xsl:text></xsl:when>
      <xsl:when test="$k = 'NL'"><xsl:text>Нидерланд</xsl:text></xsl:when>
      <xsl:when test="$k = 'US'"><xsl:text>Америка Құрама Штаттары</xsl:text></xsl:when>
      <xsl:when test="$k = 'GB'"><xsl:text>Ұлыбритания</xsl:text></xsl:when>
      <xsl:when test="$k = 'IE'"><xsl:text>Ирландия</xsl:text></xsl:when>
      <xsl:when test="$k = 'FI'"><xsl:text>Финляндия</xsl:text></xsl:when>
      <xsl:when test="$k = 'FR'"><xsl:text>Франция</xsl:text></xsl:when>
      <xsl:when test="$k = 'LV'"><xsl:text>Латвия</xsl:text></xsl:when>
      <xsl:when test="$k = 'LT'"><xsl:text>Литва</xsl:text></xsl:when>
      <xsl:when test="$k = 'EE'"><xsl:text>Эстония</xsl:text></xsl:when>
      <xsl:when test="$k = 'PL'"><xsl:text>Польша</xsl:text></xsl:when>
      <xsl:when test="$k = 'TR'"><xsl:text>Түркия</xsl:text></xsl:when>
      <xsl:when test="$k = 'AE'"><xsl:text>Біріккен Араб Әмірліктері</xsl:text></xsl:when>
      <xsl:when test="$k = 'CN'"><xsl:text>Қытай Халық Республикасы</xsl:text></xsl:when>
      <xsl:when test="$k = 'KG'"><xsl:text>Қырғыз Республикасы</xsl:text></xsl:when>
      <xsl:when test="$k = 'UZ'"><xsl:text>Өзбекстан Республикасы</xsl:text></xsl:when>
      <xsl:when test="$k = 'BY'"><xsl:text>Беларусь Республикасы</xsl:text></xsl:when>
      <xsl:when test="$k = 'AM'"><xsl:text>Армения Республикасы</xsl:text></xsl:when>
      <xsl:when test="$k = 'AZ'"><xsl:text>Әзірбайжан Республикасы</xsl:text></xsl:when>
      <xsl:when test="$k = 'GE'"><xsl:text>Грузия</xsl:text></xsl:when>
      <xsl:when test="$k = 'SG'"><xsl:text>Сингапур</xsl:text></xsl:when>
      <xsl:when test="$k = 'IN'"><xsl:text>Үндістан</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Processing action codes, worded after clause 1.2.2 of the processing agreement. -->
  <xsl:template name="action">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'collect'"><xsl:text>Жинау (жинақтау)</xsl:text></xsl:when>
      <xsl:when test="$k = 'store'"><xsl:text>Сақтау</xsl:text></xsl:when>
      <xsl:when test="$k = 'provide'"><xsl:text>Оператор тиісті функцияны таңдаған кезде беру (ұсыну, қолжетімділік беру)</xsl:text></xsl:when>
      <xsl:when test="$k = 'delete'"><xsl:text>Жою (өшіру)</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Capture/Method codes. -->
  <xsl:template name="capture-method">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'eds'"><xsl:text>электрондық цифрлық қолтаңбамен (ЭЦҚ) қол қою</xsl:text></xsl:when>
      <xsl:when test="$k = 'sms-otp'"><xsl:text>SMS арқылы жіберілген бір реттік кодпен растау</xsl:text></xsl:when>
      <xsl:when test="$k = 'in-person'"><xsl:text>жеке өзі келіп, жазбаша нысанда</xsl:text></xsl:when>
      <xsl:when test="$k = 'web'"><xsl:text>веб-сайт арқылы</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="lang-name">
    <xsl:param name="code"/>
    <xsl:choose>
      <xsl:when test="$code = 'kk'"><xsl:text>қазақ</xsl:text></xsl:when>
      <xsl:when test="$code = 'ru'"><xsl:text>орыс</xsl:text></xsl:when>
      <xsl:when test="$code = 'en'"><xsl:text>ағылшын</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$code"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "kk ru" as «қазақ және орыс»; "kk ru en" as «қазақ, орыс және ағылшын». -->
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
        <xsl:otherwise><xsl:text> және </xsl:text></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="lang-list">
        <xsl:with-param name="list" select="$rest"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- «қазақ және орыс тілдеріндегі» / «қазақ тіліндегі», from Header/Languages. -->
  <xsl:template name="languages">
    <xsl:variable name="list" select="normalize-space(c:Header/c:Languages)"/>
    <xsl:call-template name="lang-list">
      <xsl:with-param name="list" select="$list"/>
    </xsl:call-template>
    <xsl:choose>
      <xsl:when test="contains($list, ' ')"><xsl:text> тілдеріндегі</xsl:text></xsl:when>
      <xsl:otherwise><xsl:text> тіліндегі</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The law's name; the caller adds «Заңына», «Заңында» and so on. -->
  <xsl:template name="law">
    <xsl:text>«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының 2013 жылғы 21 мамырдағы № 94-V</xsl:text>
  </xsl:template>

  <!-- « («Дала Сауда» ЖШС, БСН 990340000004)», with a leading space. -->
  <xsl:template name="operator-ref">
    <xsl:text> (</xsl:text>
    <xsl:value-of select="normalize-space(c:Operator/c:Name)"/>
    <xsl:text>, БСН </xsl:text>
    <xsl:value-of select="normalize-space(c:Operator/c:BIN)"/>
    <xsl:text>)</xsl:text>
  </xsl:template>

  <!-- « (name, БСН ..., мекенжайы: ...)» with a leading space, or nothing without a Processor. -->
  <xsl:template name="processor-ref">
    <xsl:for-each select="c:Processor">
      <xsl:text> (</xsl:text>
      <xsl:value-of select="normalize-space(c:Name)"/>
      <xsl:text>, БСН </xsl:text>
      <xsl:value-of select="normalize-space(c:BIN)"/>
      <xsl:text>, мекенжайы: </xsl:text>
      <xsl:value-of select="normalize-space(c:Address)"/>
      <xsl:text>)</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- Where the Processor's servers are, as Terms/Storage states it; without Storage, the
       data centres in the Republic of Kazakhstan of clause 1.2.2 of the processing agreement. -->
  <xsl:template name="dc-phrase">
    <xsl:choose>
      <xsl:when test="not(c:Terms/c:Storage) or normalize-space(c:Terms/c:Storage/@Country) = 'KZ'">
        <xsl:text>Қазақстан Республикасының аумағында</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="country">
          <xsl:with-param name="code" select="c:Terms/c:Storage/@Country"/>
        </xsl:call-template>
        <xsl:text> аумағында</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text> орналасқан деректер орталықтарындағы серверлерде</xsl:text>
  </xsl:template>

  <!-- Opening of a first-person statement, up to and including the comma and space:
       «Мен, X (ЖСН ...), » or, with a representative,
       «Мен, R (ЖСН ...), дербес деректер субъектісінің (...) өкілі ретінде (...), оның атынан әрекет ете отырып, » -->
  <xsl:template name="i-intro">
    <xsl:text>Мен, </xsl:text>
    <xsl:choose>
      <xsl:when test="c:Subject/c:Representative">
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:FullName)"/>
        <xsl:text> (ЖСН </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:IIN)"/>
        <xsl:text>), дербес деректер субъектісінің (тегі, аты, әкесінің аты: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
        <xsl:text>, ЖСН </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
        <xsl:text>) өкілі ретінде (өкілеттік негізі: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:Basis)"/>
        <xsl:text>), оның атынан әрекет ете отырып, </xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
        <xsl:text> (ЖСН </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
        <xsl:text>), </xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Whose data, accusative: «өзімнің дербес деректерімді» / «дербес деректер субъектісінің дербес деректерін». -->
  <xsl:template name="owner-acc">
    <xsl:choose>
      <xsl:when test="c:Subject/c:Representative">
        <xsl:text>дербес деректер субъектісінің дербес деректерін</xsl:text>
      </xsl:when>
      <xsl:otherwise><xsl:text>өзімнің дербес деректерімді</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Subject, representative, operator and processor as labelled list items. -->
  <xsl:template name="parties">
    <Heading><xsl:text>Дербес деректер субъектісі</xsl:text></Heading>
    <Item>
      <xsl:text>Тегі, аты, әкесінің аты: </xsl:text>
      <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
    </Item>
    <Item>
      <xsl:text>ЖСН: </xsl:text>
      <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
    </Item>
    <xsl:if test="c:Subject/c:Phone">
      <Item>
        <xsl:text>Телефон нөмірі: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Phone)"/>
      </Item>
    </xsl:if>
    <xsl:if test="c:Subject/c:Email">
      <Item>
        <xsl:text>Электрондық пошта мекенжайы: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Email)"/>
      </Item>
    </xsl:if>
    <xsl:for-each select="c:Subject/c:Representative">
      <Heading><xsl:text>Дербес деректер субъектісінің өкілі</xsl:text></Heading>
      <Item>
        <xsl:text>Тегі, аты, әкесінің аты: </xsl:text>
        <xsl:value-of select="normalize-space(c:FullName)"/>
      </Item>
      <Item>
        <xsl:text>ЖСН: </xsl:text>
        <xsl:value-of select="normalize-space(c:IIN)"/>
      </Item>
      <Item>
        <xsl:text>Өкілеттік негізі: </xsl:text>
        <xsl:value-of select="normalize-space(c:Basis)"/>
      </Item>
    </xsl:for-each>
    <Heading><xsl:text>Оператор</xsl:text></Heading>
    <Item>
      <xsl:text>Атауы: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Name)"/>
    </Item>
    <Item>
      <xsl:text>БСН: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:BIN)"/>
    </Item>
    <Item>
      <xsl:text>Мекенжайы: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Address)"/>
    </Item>
    <Item>
      <xsl:text>Байланыс деректері: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Contact)"/>
    </Item>
    <xsl:for-each select="c:Processor">
      <Heading><xsl:text>Өңдеуші</xsl:text></Heading>
      <Item>
        <xsl:text>Атауы: </xsl:text>
        <xsl:value-of select="normalize-space(c:Name)"/>
      </Item>
      <Item>
        <xsl:text>БСН: </xsl:text>
        <xsl:value-of select="normalize-space(c:BIN)"/>
      </Item>
      <Item>
        <xsl:text>Мекенжайы: </xsl:text>
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
      <Heading><xsl:text>Дербес деректерді сақтау орны</xsl:text></Heading>
      <Para>
        <xsl:text>Сақтау орны: </xsl:text>
        <xsl:call-template name="v-end">
          <xsl:with-param name="v" select="c:Location"/>
        </xsl:call-template>
        <xsl:text> Ел: </xsl:text>
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
        <xsl:text>Келісім </xsl:text>
        <xsl:choose>
          <xsl:when test="c:From">
            <xsl:call-template name="date">
              <xsl:with-param name="d" select="c:From"/>
              <xsl:with-param name="case" select="'abl'"/>
            </xsl:call-template>
            <xsl:text> бастап</xsl:text>
          </xsl:when>
          <xsl:otherwise><xsl:text>берілген сәттен бастап</xsl:text></xsl:otherwise>
        </xsl:choose>
        <xsl:choose>
          <xsl:when test="c:Until">
            <xsl:text> </xsl:text>
            <xsl:call-template name="date">
              <xsl:with-param name="d" select="c:Until"/>
              <xsl:with-param name="case" select="'acc'"/>
            </xsl:call-template>
            <xsl:text> қоса алғанға дейін</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text> дербес деректерді өңдеу мақсаттарына қол жеткізілгенге дейін</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text> әрекет етеді (егер ол бұған дейін кері қайтарып алынбаса).</xsl:text>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="third-parties-block">
    <xsl:for-each select="c:Terms/c:ThirdParties">
      <Heading><xsl:text>Дербес деректерді үшінші тұлғаларға беру</xsl:text></Heading>
      <Para>
        <xsl:choose>
          <xsl:when test="normalize-space(.) = 'true' or normalize-space(.) = '1'">
            <xsl:text>Дербес деректерді үшінші тұлғаларға беруге келісім беремін.</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>Дербес деректерді үшінші тұлғаларға беруге келісім бермеймін.</xsl:text>
            <xsl:if test="../../c:Processor">
              <xsl:text> Бұл шектеу дербес деректерді осы құжатта көрсетілген Өңдеушіге сақтау үшін беруге қолданылмайды.</xsl:text>
            </xsl:if>
          </xsl:otherwise>
        </xsl:choose>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <!-- Recipients as «name — country» items. -->
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
      <Heading><xsl:text>Дербес деректерді трансшекаралық беру</xsl:text></Heading>
      <xsl:choose>
        <xsl:when test="normalize-space(@Allowed) = 'true' or normalize-space(@Allowed) = '1'">
          <Para>
            <xsl:text>Дербес деректерді трансшекаралық беруге келісім беремін.</xsl:text>
            <xsl:if test="c:Recipient">
              <xsl:text> Дербес деректерді алушылар және олар орналасқан елдер:</xsl:text>
            </xsl:if>
          </Para>
          <xsl:for-each select="../..">
            <xsl:call-template name="recipients"/>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <Para><xsl:text>Дербес деректерді трансшекаралық беруге келісім бермеймін.</xsl:text></Para>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="public-sources-block">
    <xsl:for-each select="c:Terms/c:PublicSources">
      <Heading><xsl:text>Жалпыға қолжетімді дербес деректер көздері</xsl:text></Heading>
      <Para>
        <xsl:choose>
          <xsl:when test="normalize-space(.) = 'true' or normalize-space(.) = '1'">
            <xsl:text>Дербес деректерді жалпыға қолжетімді дербес деректер көздерінде таратуға келісім беремін.</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>Дербес деректерді жалпыға қолжетімді дербес деректер көздерінде таратуға келісім бермеймін.</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="withdrawal-block">
    <Heading><xsl:text>Келісімді кері қайтарып алу</xsl:text></Heading>
    <xsl:for-each select="c:Terms/c:WithdrawalMethod">
      <Para>
        <xsl:text>Келісімді кері қайтарып алу тәсілі: </xsl:text>
        <xsl:call-template name="v-end">
          <xsl:with-param name="v" select="."/>
        </xsl:call-template>
      </Para>
    </xsl:for-each>
    <Para>
      <xsl:text>Келісімді кері қайтарып алу оған дейін келісім негізінде жүзеге асырылған өңдеудің заңдылығына әсер етпейді.</xsl:text>
    </Para>
  </xsl:template>

  <xsl:template name="jurisdiction-block">
    <Heading><xsl:text>Қолданылатын құқық</xsl:text></Heading>
    <Para>
      <xsl:choose>
        <xsl:when test="not(c:Terms/c:Jurisdiction) or normalize-space(c:Terms/c:Jurisdiction) = 'KZ'">
          <xsl:text>Осы құжатқа Қазақстан Республикасының құқығы қолданылады.</xsl:text>
        </xsl:when>
        <xsl:otherwise>
          <xsl:text>Осы құжатқа қолданылатын құқық – мына елдің құқығы: </xsl:text>
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
    <xsl:param name="clerk-label" select="'Құжатты ресімдеген қызметкер (жүйе)'"/>
    <Heading><xsl:value-of select="$heading"/></Heading>
    <Item>
      <xsl:value-of select="$label"/>
      <xsl:text>: </xsl:text>
      <xsl:call-template name="capture-method">
        <xsl:with-param name="code" select="c:Capture/c:Method"/>
      </xsl:call-template>
    </Item>
    <Item>
      <xsl:text>Арна: </xsl:text>
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
      <xsl:text>Құжаттың ресімделген күні мен уақыты: </xsl:text>
      <xsl:call-template name="datetime">
        <xsl:with-param name="t" select="c:Header/c:IssuedAt"/>
      </xsl:call-template>
    </Item>
    <Item>
      <xsl:text>Құжаттың сәйкестендіргіші: </xsl:text>
      <xsl:value-of select="normalize-space(c:Header/c:DocumentId)"/>
    </Item>
  </xsl:template>

</xsl:stylesheet>

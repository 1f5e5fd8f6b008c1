<?xml version="1.0" encoding="UTF-8"?>
<!--
  kelisim template "evidence-statement.ru", version 1 (XSLT 1.0).
  Input: a Content element in urn:kelisim:consent:1 without Text children.
  Output: exactly one Text element with xml:lang="ru".
  The SHA-256 of this file is recorded in every document rendered with it:
  any change, even in whitespace or comments, needs a new version (see templates/README.md).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="urn:kelisim:consent:1"
    xmlns:c="urn:kelisim:consent:1"
    xmlns:kt="urn:kelisim:template:1"
    exclude-result-prefixes="c kt">

  <kt:template name="evidence-statement.ru" version="1" type="evidence-statement" lang="ru"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="*"/>

  <xsl:template match="/">
    <xsl:for-each select="c:Content">
      <Text xml:lang="ru">
        <Title><xsl:text>Подтверждение наличия правовых оснований для обработки персональных данных и уведомления субъектов персональных данных об их передаче</xsl:text></Title>
        <Heading><xsl:text>Оператор</xsl:text></Heading>
        <Item><xsl:text>Наименование: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Name)"/></Item>
        <Item><xsl:text>БИН: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:BIN)"/></Item>
        <Item><xsl:text>Адрес: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Address)"/></Item>
        <Item><xsl:text>Контактные данные: </xsl:text><xsl:value-of select="normalize-space(c:Operator/c:Contact)"/></Item>
        <xsl:for-each select="c:Processor">
          <Heading><xsl:text>Обработчик</xsl:text></Heading>
          <Item><xsl:text>Наименование: </xsl:text><xsl:value-of select="normalize-space(c:Name)"/></Item>
          <Item><xsl:text>БИН: </xsl:text><xsl:value-of select="normalize-space(c:BIN)"/></Item>
          <Item><xsl:text>Адрес: </xsl:text><xsl:value-of select="normalize-space(c:Address)"/></Item>
        </xsl:for-each>
        <xsl:for-each select="c:Statement">
          <Heading><xsl:text>Запрос Обработчика</xsl:text></Heading>
          <xsl:choose>
            <xsl:when test="c:Request">
              <Item><xsl:text>Реквизиты запроса: </xsl:text><xsl:value-of select="normalize-space(c:Request/c:Reference)"/></Item>
              <Item><xsl:text>Дата получения запроса: </xsl:text><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Request/c:Received"/>
              </xsl:call-template></Item>
              <Item><xsl:text>Последний день представления подтверждения (5 календарных дней со дня получения запроса): </xsl:text><xsl:call-template name="date">
                <xsl:with-param name="d" select="c:Request/c:Due"/>
              </xsl:call-template></Item>
            </xsl:when>
            <xsl:otherwise>
              <Para><xsl:text>Настоящее подтверждение оформлено Оператором по собственной инициативе, без отдельного запроса Обработчика.</xsl:text></Para>
            </xsl:otherwise>
          </xsl:choose>
          <Item>
            <xsl:text>Охват: </xsl:text>
            <xsl:choose>
              <xsl:when test="c:Scope/@Kind = 'all'"><xsl:text>все субъекты персональных данных, документы которых хранятся у Оператора</xsl:text></xsl:when>
              <xsl:when test="c:Scope/@Kind = 'request'"><xsl:text>субъекты персональных данных, указанные в запросе Обработчика</xsl:text></xsl:when>
              <xsl:otherwise><xsl:text>субъекты персональных данных, перечисленные ниже</xsl:text></xsl:otherwise>
            </xsl:choose>
            <xsl:if test="c:Scope/@Since or c:Scope/@Until">
              <xsl:text> (</xsl:text>
              <xsl:text>период оформления документов: </xsl:text>
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
        <Heading><xsl:text>Подтверждение</xsl:text></Heading>
        <Para>
          <xsl:text>Оператор</xsl:text>
          <xsl:call-template name="operator-ref"/>
          <xsl:text> в соответствии с пунктом 4.8 поручения на обработку персональных данных подтверждает Обработчику</xsl:text>
          <xsl:call-template name="processor-ref"/>
          <xsl:text> в отношении каждого из перечисленных ниже субъектов персональных данных наличие правовых оснований для обработки персональных данных и факт надлежащего уведомления субъекта персональных данных об их передаче Обработчику. Настоящее подтверждение не распространяется на случаи, прямо указанные в разделе «Выявленные пробелы».</xsl:text>
        </Para>
        <Para>
          <xsl:text>Подтверждающие документы (согласия субъектов персональных данных, подтверждения уведомления о передаче персональных данных, а также отзывы согласий при их наличии) подписаны электронной цифровой подписью и приложены к настоящему подтверждению в пакете электронных доказательств (контейнер ASiC-E). Включение каждого документа в журнал хранилища доказательств Оператора подтверждается доказательством включения относительно подписанной вершины дерева Меркла. Дайджест SHA-256 манифеста пакета: </xsl:text>
          <xsl:value-of select="normalize-space(c:Statement/c:Manifest/@SHA256)"/>
          <xsl:text>.</xsl:text>
        </Para>
        <xsl:for-each select="c:Statement">
          <Heading>
            <xsl:text>Сведения по субъектам персональных данных</xsl:text>
            <xsl:if test="number(c:Part/@Of) &gt; 1">
              <xsl:text> (часть </xsl:text>
              <xsl:value-of select="normalize-space(c:Part/@Number)"/>
              <xsl:text> из </xsl:text>
              <xsl:value-of select="normalize-space(c:Part/@Of)"/>
              <xsl:text>)</xsl:text>
            </xsl:if>
          </Heading>
          <xsl:for-each select="c:Entry">
            <Item>
              <xsl:text>ИИН </xsl:text>
              <xsl:value-of select="normalize-space(c:IIN)"/>
              <xsl:if test="c:FullName">
                <xsl:text>, </xsl:text>
                <xsl:value-of select="normalize-space(c:FullName)"/>
              </xsl:if>
              <xsl:text>.</xsl:text>
              <xsl:choose>
                <xsl:when test="c:LawfulBasis">
                  <xsl:text> Правовое основание: согласие на обработку персональных данных, дата предоставления: </xsl:text>
                  <xsl:call-template name="date">
                <xsl:with-param name="d" select="c:LawfulBasis/@Date"/>
              </xsl:call-template>
                  <xsl:text> (документ </xsl:text>
                  <xsl:value-of select="normalize-space(c:LawfulBasis/@DocumentId)"/>
                  <xsl:text>).</xsl:text>
                </xsl:when>
                <xsl:otherwise><xsl:text> Правовое основание: не подтверждено – действующее согласие отсутствует.</xsl:text></xsl:otherwise>
              </xsl:choose>
              <xsl:choose>
                <xsl:when test="c:TransferNotice">
                  <xsl:text> Уведомление о передаче: подтверждено, дата подтверждения: </xsl:text>
                  <xsl:call-template name="date">
                <xsl:with-param name="d" select="c:TransferNotice/@Date"/>
              </xsl:call-template>
                  <xsl:text> (документ </xsl:text>
                  <xsl:value-of select="normalize-space(c:TransferNotice/@DocumentId)"/>
                  <xsl:text>).</xsl:text>
                </xsl:when>
                <xsl:otherwise><xsl:text> Уведомление о передаче: не подтверждено – подтверждение уведомления отсутствует.</xsl:text></xsl:otherwise>
              </xsl:choose>
              <xsl:text> Текущий статус согласия: </xsl:text>
              <xsl:call-template name="consent-status">
                <xsl:with-param name="code" select="c:Status"/>
              </xsl:call-template>
              <xsl:text> (</xsl:text>
              <xsl:value-of select="normalize-space(c:Status)"/>
              <xsl:text>).</xsl:text>
            </Item>
          </xsl:for-each>
          <Heading><xsl:text>Выявленные пробелы</xsl:text></Heading>
          <xsl:choose>
            <xsl:when test="c:Entry/c:Gap">
              <Para><xsl:text>По следующим субъектам персональных данных подтверждение не может быть представлено в полном объеме:</xsl:text></Para>
              <xsl:for-each select="c:Entry/c:Gap">
                <Item>
                  <xsl:text>ИИН </xsl:text>
                  <xsl:value-of select="normalize-space(../c:IIN)"/>
                  <xsl:choose>
                    <xsl:when test="normalize-space(.) = 'no-consent-in-force'"><xsl:text>: отсутствует действующее согласие на обработку персональных данных</xsl:text></xsl:when>
                    <xsl:otherwise><xsl:text>: отсутствует подтверждение уведомления о передаче персональных данных Обработчику</xsl:text></xsl:otherwise>
                  </xsl:choose>
                </Item>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <Para><xsl:text>Пробелы не выявлены: по каждому субъекту персональных данных, указанному в настоящей части, имеются действующее согласие и подтверждение уведомления о передаче.</xsl:text></Para>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <Heading><xsl:text>Оформление подтверждения</xsl:text></Heading>
        <Item>
          <xsl:text>Дата и время оформления: </xsl:text>
          <xsl:call-template name="datetime">
            <xsl:with-param name="t" select="c:Header/c:IssuedAt"/>
          </xsl:call-template>
        </Item>
        <Item>
          <xsl:text>Идентификатор документа: </xsl:text>
          <xsl:value-of select="normalize-space(c:Header/c:DocumentId)"/>
        </Item>
        <Para><xsl:text>Настоящее подтверждение подписывается Оператором электронной цифровой подписью.</xsl:text></Para>
      </Text>
    </xsl:for-each>
  </xsl:template>

  <!-- A consent's status (W3C DPV), in words. -->
  <xsl:template name="consent-status">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'ConsentGiven'"><xsl:text>согласие дано и действует</xsl:text></xsl:when>
      <xsl:when test="$k = 'ConsentWithdrawn'"><xsl:text>согласие отозвано</xsl:text></xsl:when>
      <xsl:when test="$k = 'ConsentExpired'"><xsl:text>срок действия согласия истек</xsl:text></xsl:when>
      <xsl:otherwise><xsl:text>согласие не найдено</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================
       Russian helpers. The same set is carried by every *.ru.xsl file
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

  <!-- Month name in the genitive, as used in dates («25 ноября»). -->
  <xsl:template name="month">
    <xsl:param name="m"/>
    <xsl:choose>
      <xsl:when test="$m = '01'"><xsl:text>января</xsl:text></xsl:when>
      <xsl:when test="$m = '02'"><xsl:text>февраля</xsl:text></xsl:when>
      <xsl:when test="$m = '03'"><xsl:text>марта</xsl:text></xsl:when>
      <xsl:when test="$m = '04'"><xsl:text>апреля</xsl:text></xsl:when>
      <xsl:when test="$m = '05'"><xsl:text>мая</xsl:text></xsl:when>
      <xsl:when test="$m = '06'"><xsl:text>июня</xsl:text></xsl:when>
      <xsl:when test="$m = '07'"><xsl:text>июля</xsl:text></xsl:when>
      <xsl:when test="$m = '08'"><xsl:text>августа</xsl:text></xsl:when>
      <xsl:when test="$m = '09'"><xsl:text>сентября</xsl:text></xsl:when>
      <xsl:when test="$m = '10'"><xsl:text>октября</xsl:text></xsl:when>
      <xsl:when test="$m = '11'"><xsl:text>ноября</xsl:text></xsl:when>
      <xsl:when test="$m = '12'"><xsl:text>декабря</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$m"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- YYYY-MM-DD as «25 ноября 2026 г.». -->
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
    <xsl:text> г.</xsl:text>
  </xsl:template>

  <!-- YYYY-MM-DDThh:mm:ssZ as «25 ноября 2026 г., 09:15 (UTC)». -->
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

  <!-- ISO 3166-1 alpha-2 code as a country name; case 'nom' (default) or 'gen'
       («на территории Германии»). Unknown codes as they are. -->
  <xsl:template name="country">
    <xsl:param name="code"/>
    <xsl:param name="case" select="'nom'"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:variable name="g" select="$case = 'gen'"/>
    <xsl:choose>
      <xsl:when test="$k = 'KZ' and $g"><xsl:text>Республики Казахстан</xsl:text></xsl:when>
      <xsl:when test="$k = 'KZ'"><xsl:text>Республика Казахстан</xsl:text></xsl:when>
      <xsl:when test="$k = 'RU' and $g"><xsl:text>Российской Федерации</xsl:text></xsl:when>
      <xsl:when test="$k = 'RU'"><xsl:text>Российская Федерация</xsl:text></xsl:when>
      <xsl:when test="$k = 'DE' and $g"><xsl:text>Германии</xsl:text></xsl:when>
      <xsl:when test="$k = 'DE'"><xsl:text>Германия</xsl:text></xsl:when>
      <xsl:when test="$k = 'NL' and $g"><xsl:text>Нидерландов</xsl:text></xsl:when>
      <xsl:when test="$k = 'NL'"><xsl:text>Нидерланды</xsl:text></xsl:when>
      <xsl:when test="$k = 'US' and $g"><xsl:text>Соединенных Штатов Америки</xsl:text></xsl:when>
      <xsl:when test="$k = 'US'"><xsl:text>Соединенные Штаты Америки</xsl:text></xsl:when>
      <xsl:when test="$k = 'GB' and $g"><xsl:text>Великобритании</xsl:text></xsl:when>
      <xsl:when test="$k = 'GB'"><xsl:text>Великобритания</xsl:text></xsl:when>
      <xsl:when test="$k = 'IE' and $g"><xsl:text>Ирландии</xsl:text></xsl:when>
      <xsl:when test="$k = 'IE'"><xsl:text>Ирландия</xsl:text></xsl:when>
      <xsl:when test="$k = 'FI' and $g"><xsl:text>Финляндии</xsl:text></xsl:when>
      <xsl:when test="$k = 'FI'"><xsl:text>Финляндия</xsl:text></xsl:when>
      <xsl:when test="$k = 'FR' and $g"><xsl:text>Франции</xsl:text></xsl:when>
      <xsl:when test="$k = 'FR'"><xsl:text>Франция</xsl:text></xsl:when>
      <xsl:when test="$k = 'LV' and $g"><xsl:text>Латвии</xsl:text></xsl:when>
      <xsl:when test="$k = 'LV'"><xsl:text>Латвия</xsl:text></xsl:when>
      <xsl:when test="$k = 'LT' and $g"><xsl:text>Литвы</xsl:text></xsl:when>
      <xsl:when test="$k = 'LT'"><xsl:text>Литва</xsl:text></xsl:when>
      <xsl:when test="$k = 'EE' and $g"><xsl:text>Эстонии</xsl:text></xsl:when>
      <xsl:when test="$k = 'EE'"><xsl:text>Эстония</xsl:text></xsl:when>
      <xsl:when test="$k = 'PL' and $g"><xsl:text>Польши</xsl:text></xsl:when>
      <xsl:when test="$k = 'PL'"><xsl:text>Польша</xsl:text></xsl:when>
      <xsl:when test="$k = 'TR' and $g"><xsl:text>Турции</xsl:text></xsl:when>
      <xsl:when test="$k = 'TR'"><xsl:text>Турция</xsl:text></xsl:when>
      <xsl:when test="$k = 'AE' and $g"><xsl:text>Объединенных Арабских Эмиратов</xsl:text></xsl:when>
      <xsl:when test="$k = 'AE'"><xsl:text>Объединенные Арабские Эмираты</xsl:text></xsl:when>
      <xsl:when test="$k = 'CN' and $g"><xsl:text>Китайской Народной Республики</xsl:text></xsl:when>
      <xsl:when test="$k = 'CN'"><xsl:text>Китайская Народная Республика</xsl:text></xsl:when>
      <xsl:when test="$k = 'KG' and $g"><xsl:text>Кыргызской Республики</xsl:text></xsl:when>
      <xsl:when test="$k = 'KG'"><xsl:text>Кыргызская Республика</xsl:text></xsl:when>
      <xsl:when test="$k = 'UZ' and $g"><xsl:text>Республики Узбекистан</xsl:text></xsl:when>
      <xsl:when test="$k = 'UZ'"><xsl:text>Республика Узбекистан</xsl:text></xsl:when>
      <xsl:when test="$k = 'BY' and $g"><xsl:text>Республики Беларусь</xsl:text></xsl:when>
      <xsl:when test="$k = 'BY'"><xsl:text>Республика Беларусь</xsl:text></xsl:when>
      <xsl:when test="$k = 'AM' and $g"><xsl:text>Республики Армения</xsl:text></xsl:when>
      <xsl:when test="$k = 'AM'"><xsl:text>Республика Армения</xsl:text></xsl:when>
      <xsl:when test="$k = 'AZ' and $g"><xsl:text>Азербайджанской Республики</xsl:text></xsl:when>
      <xsl:when test="$k = 'AZ'"><xsl:text>Азербайджанская Республика</xsl:text></xsl:when>
      <xsl:when test="$k = 'GE' and $g"><xsl:text>Грузии</xsl:text></xsl:when>
      <xsl:when test="$k = 'GE'"><xsl:text>Грузия</xsl:text></xsl:when>
      <xsl:when test="$k = 'SG' and $g"><xsl:text>Сингапура</xsl:text></xsl:when>
      <xsl:when test="$k = 'SG'"><xsl:text>Сингапур</xsl:text></xsl:when>
      <xsl:when test="$k = 'IN' and $g"><xsl:text>Индии</xsl:text></xsl:when>
      <xsl:when test="$k = 'IN'"><xsl:text>Индия</xsl:text></xsl:when>
      <xsl:when test="$g">
        <xsl:text>государства с кодом </xsl:text>
        <xsl:value-of select="$k"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Processing action codes, worded after clause 1.2.2 of the processing agreement. -->
  <xsl:template name="action">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'collect'"><xsl:text>Сбор (накопление)</xsl:text></xsl:when>
      <xsl:when test="$k = 'store'"><xsl:text>Хранение</xsl:text></xsl:when>
      <xsl:when test="$k = 'provide'"><xsl:text>Передача (предоставление, доступ) при выборе Оператором соответствующей функции</xsl:text></xsl:when>
      <xsl:when test="$k = 'delete'"><xsl:text>Удаление (уничтожение)</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Capture/Method codes. -->
  <xsl:template name="capture-method">
    <xsl:param name="code"/>
    <xsl:variable name="k" select="normalize-space($code)"/>
    <xsl:choose>
      <xsl:when test="$k = 'eds'"><xsl:text>подписание электронной цифровой подписью (ЭЦП)</xsl:text></xsl:when>
      <xsl:when test="$k = 'sms-otp'"><xsl:text>подтверждение одноразовым кодом, направленным по SMS</xsl:text></xsl:when>
      <xsl:when test="$k = 'in-person'"><xsl:text>лично, в письменной форме</xsl:text></xsl:when>
      <xsl:when test="$k = 'web'"><xsl:text>через веб-сайт</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$k"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Language as an adjective in the prepositional case («на казахском ...»). -->
  <xsl:template name="lang-name">
    <xsl:param name="code"/>
    <xsl:choose>
      <xsl:when test="$code = 'kk'"><xsl:text>казахском</xsl:text></xsl:when>
      <xsl:when test="$code = 'ru'"><xsl:text>русском</xsl:text></xsl:when>
      <xsl:when test="$code = 'en'"><xsl:text>английском</xsl:text></xsl:when>
      <xsl:otherwise><xsl:value-of select="$code"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "kk ru" as «казахском и русском»; "kk ru en" as «казахском, русском и английском». -->
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
        <xsl:otherwise><xsl:text> и </xsl:text></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="lang-list">
        <xsl:with-param name="list" select="$rest"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- «на казахском и русском языках» / «на казахском языке», from Header/Languages. -->
  <xsl:template name="languages">
    <xsl:variable name="list" select="normalize-space(c:Header/c:Languages)"/>
    <xsl:text>на </xsl:text>
    <xsl:call-template name="lang-list">
      <xsl:with-param name="list" select="$list"/>
    </xsl:call-template>
    <xsl:choose>
      <xsl:when test="contains($list, ' ')"><xsl:text> языках</xsl:text></xsl:when>
      <xsl:otherwise><xsl:text> языке</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The law's name without the word «Закон», which the caller declines. -->
  <xsl:template name="law">
    <xsl:text>Республики Казахстан от 21 мая 2013 года № 94-V «О персональных данных и их защите»</xsl:text>
  </xsl:template>

  <!-- « («Дала Сауда» ЖШС, БИН 990340000004)», with a leading space. -->
  <xsl:template name="operator-ref">
    <xsl:text> (</xsl:text>
    <xsl:value-of select="normalize-space(c:Operator/c:Name)"/>
    <xsl:text>, БИН </xsl:text>
    <xsl:value-of select="normalize-space(c:Operator/c:BIN)"/>
    <xsl:text>)</xsl:text>
  </xsl:template>

  <!-- « (name, БИН ..., адрес: ...)» with a leading space, or nothing without a Processor. -->
  <xsl:template name="processor-ref">
    <xsl:for-each select="c:Processor">
      <xsl:text> (</xsl:text>
      <xsl:value-of select="normalize-space(c:Name)"/>
      <xsl:text>, БИН </xsl:text>
      <xsl:value-of select="normalize-space(c:BIN)"/>
      <xsl:text>, адрес: </xsl:text>
      <xsl:value-of select="normalize-space(c:Address)"/>
      <xsl:text>)</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- Where the Processor's servers are, as Terms/Storage states it; without Storage, the
       data centres in the Republic of Kazakhstan of clause 1.2.2 of the processing agreement. -->
  <xsl:template name="dc-phrase">
    <xsl:text>на серверах в центрах обработки данных, расположенных на территории </xsl:text>
    <xsl:choose>
      <xsl:when test="not(c:Terms/c:Storage)">
        <xsl:text>Республики Казахстан</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="country">
          <xsl:with-param name="code" select="c:Terms/c:Storage/@Country"/>
          <xsl:with-param name="case" select="'gen'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Opening of a first-person statement, up to and including the comma and space:
       «Я, X (ИИН ...), » or, with a representative,
       «Я, R (ИИН ...), действуя от имени субъекта персональных данных (...) в качестве его представителя (...), » -->
  <xsl:template name="i-intro">
    <xsl:text>Я, </xsl:text>
    <xsl:choose>
      <xsl:when test="c:Subject/c:Representative">
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:FullName)"/>
        <xsl:text> (ИИН </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:IIN)"/>
        <xsl:text>), действуя от имени субъекта персональных данных (фамилия, имя, отчество: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
        <xsl:text>, ИИН </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
        <xsl:text>) в качестве его представителя (основание полномочий: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Representative/c:Basis)"/>
        <xsl:text>), </xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
        <xsl:text> (ИИН </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
        <xsl:text>), </xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Whose data, genitive: «моих персональных данных» / «персональных данных субъекта». -->
  <xsl:template name="owner-gen">
    <xsl:choose>
      <xsl:when test="c:Subject/c:Representative">
        <xsl:text>персональных данных субъекта</xsl:text>
      </xsl:when>
      <xsl:otherwise><xsl:text>моих персональных данных</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Subject, representative, operator and processor as labelled list items. -->
  <xsl:template name="parties">
    <Heading><xsl:text>Субъект персональных данных</xsl:text></Heading>
    <Item>
      <xsl:text>Фамилия, имя, отчество: </xsl:text>
      <xsl:value-of select="normalize-space(c:Subject/c:FullName)"/>
    </Item>
    <Item>
      <xsl:text>ИИН: </xsl:text>
      <xsl:value-of select="normalize-space(c:Subject/c:IIN)"/>
    </Item>
    <xsl:if test="c:Subject/c:Phone">
      <Item>
        <xsl:text>Номер телефона: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Phone)"/>
      </Item>
    </xsl:if>
    <xsl:if test="c:Subject/c:Email">
      <Item>
        <xsl:text>Адрес электронной почты: </xsl:text>
        <xsl:value-of select="normalize-space(c:Subject/c:Email)"/>
      </Item>
    </xsl:if>
    <xsl:for-each select="c:Subject/c:Representative">
      <Heading><xsl:text>Представитель субъекта персональных данных</xsl:text></Heading>
      <Item>
        <xsl:text>Фамилия, имя, отчество: </xsl:text>
        <xsl:value-of select="normalize-space(c:FullName)"/>
      </Item>
      <Item>
        <xsl:text>ИИН: </xsl:text>
        <xsl:value-of select="normalize-space(c:IIN)"/>
      </Item>
      <Item>
        <xsl:text>Основание полномочий: </xsl:text>
        <xsl:value-of select="normalize-space(c:Basis)"/>
      </Item>
    </xsl:for-each>
    <Heading><xsl:text>Оператор</xsl:text></Heading>
    <Item>
      <xsl:text>Наименование: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Name)"/>
    </Item>
    <Item>
      <xsl:text>БИН: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:BIN)"/>
    </Item>
    <Item>
      <xsl:text>Адрес: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Address)"/>
    </Item>
    <Item>
      <xsl:text>Контактные данные: </xsl:text>
      <xsl:value-of select="normalize-space(c:Operator/c:Contact)"/>
    </Item>
    <xsl:for-each select="c:Processor">
      <Heading><xsl:text>Обработчик</xsl:text></Heading>
      <Item>
        <xsl:text>Наименование: </xsl:text>
        <xsl:value-of select="normalize-space(c:Name)"/>
      </Item>
      <Item>
        <xsl:text>БИН: </xsl:text>
        <xsl:value-of select="normalize-space(c:BIN)"/>
      </Item>
      <Item>
        <xsl:text>Адрес: </xsl:text>
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
      <Heading><xsl:text>Место хранения персональных данных</xsl:text></Heading>
      <Para>
        <xsl:text>Место хранения: </xsl:text>
        <xsl:call-template name="v-end">
          <xsl:with-param name="v" select="c:Location"/>
        </xsl:call-template>
        <xsl:text> Страна: </xsl:text>
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
        <xsl:text>Согласие действует </xsl:text>
        <xsl:choose>
          <xsl:when test="c:From">
            <xsl:text>с </xsl:text>
            <xsl:call-template name="date">
              <xsl:with-param name="d" select="c:From"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise><xsl:text>с момента его предоставления</xsl:text></xsl:otherwise>
        </xsl:choose>
        <xsl:choose>
          <xsl:when test="c:Until">
            <xsl:text> по </xsl:text>
            <xsl:call-template name="date">
              <xsl:with-param name="d" select="c:Until"/>
            </xsl:call-template>
            <xsl:text> включительно</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text> до достижения целей обработки персональных данных</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text> (если оно не будет отозвано ранее).</xsl:text>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="third-parties-block">
    <xsl:for-each select="c:Terms/c:ThirdParties">
      <Heading><xsl:text>Передача персональных данных третьим лицам</xsl:text></Heading>
      <Para>
        <xsl:choose>
          <xsl:when test="normalize-space(.) = 'true' or normalize-space(.) = '1'">
            <xsl:text>Даю согласие на передачу персональных данных третьим лицам.</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>Согласия на передачу персональных данных третьим лицам не даю.</xsl:text>
            <xsl:if test="../../c:Processor">
              <xsl:text> Это ограничение не распространяется на передачу персональных данных для хранения Обработчику, указанному в настоящем документе.</xsl:text>
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
      <Heading><xsl:text>Трансграничная передача персональных данных</xsl:text></Heading>
      <xsl:choose>
        <xsl:when test="normalize-space(@Allowed) = 'true' or normalize-space(@Allowed) = '1'">
          <Para>
            <xsl:text>Даю согласие на трансграничную передачу персональных данных.</xsl:text>
            <xsl:if test="c:Recipient">
              <xsl:text> Получатели персональных данных и страны их нахождения:</xsl:text>
            </xsl:if>
          </Para>
          <xsl:for-each select="../..">
            <xsl:call-template name="recipients"/>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <Para><xsl:text>Согласия на трансграничную передачу персональных данных не даю.</xsl:text></Para>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="public-sources-block">
    <xsl:for-each select="c:Terms/c:PublicSources">
      <Heading><xsl:text>Общедоступные источники персональных данных</xsl:text></Heading>
      <Para>
        <xsl:choose>
          <xsl:when test="normalize-space(.) = 'true' or normalize-space(.) = '1'">
            <xsl:text>Даю согласие на распространение персональных данных в общедоступных источниках персональных данных.</xsl:text>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>Согласия на распространение персональных данных в общедоступных источниках персональных данных не даю.</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
      </Para>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="withdrawal-block">
    <Heading><xsl:text>Отзыв согласия</xsl:text></Heading>
    <xsl:for-each select="c:Terms/c:WithdrawalMethod">
      <Para>
        <xsl:text>Способ отзыва согласия: </xsl:text>
        <xsl:call-template name="v-end">
          <xsl:with-param name="v" select="."/>
        </xsl:call-template>
      </Para>
    </xsl:for-each>
    <Para>
      <xsl:text>Отзыв согласия не влияет на законность обработки, осуществленной на основании согласия до его отзыва.</xsl:text>
    </Para>
  </xsl:template>

  <xsl:template name="jurisdiction-block">
    <Heading><xsl:text>Применимое право</xsl:text></Heading>
    <Para>
      <xsl:choose>
        <xsl:when test="not(c:Terms/c:Jurisdiction) or normalize-space(c:Terms/c:Jurisdiction) = 'KZ'">
          <xsl:text>К настоящему документу применяется право Республики Казахстан.</xsl:text>
        </xsl:when>
        <xsl:otherwise>
          <xsl:text>К настоящему документу применяется право следующей страны: </xsl:text>
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
    <xsl:param name="clerk-label" select="'Сотрудник (система), оформивший документ'"/>
    <Heading><xsl:value-of select="$heading"/></Heading>
    <Item>
      <xsl:value-of select="$label"/>
      <xsl:text>: </xsl:text>
      <xsl:call-template name="capture-method">
        <xsl:with-param name="code" select="c:Capture/c:Method"/>
      </xsl:call-template>
    </Item>
    <Item>
      <xsl:text>Канал: </xsl:text>
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
      <xsl:text>Дата и время оформления документа: </xsl:text>
      <xsl:call-template name="datetime">
        <xsl:with-param name="t" select="c:Header/c:IssuedAt"/>
      </xsl:call-template>
    </Item>
    <Item>
      <xsl:text>Идентификатор документа: </xsl:text>
      <xsl:value-of select="normalize-space(c:Header/c:DocumentId)"/>
    </Item>
  </xsl:template>

</xsl:stylesheet>

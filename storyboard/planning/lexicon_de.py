"""German for the rule-based reader (see lexicon_intl.Lexicon).

Every German noun is capitalised, so a capital says little: a name is a word after a title ("Frau Gruber"),
a naming word ("namens Emre"), a person noun ("seine Schwester Deniz") or next to a speech verb ("sagt
Emre"); a capitalised word after an article, a determiner, an adjective or a preposition is a noun.
"""

from __future__ import annotations

from .lexicon_intl import Lexicon, gendered, kinds, times, words

_POSSESSIVES = """mein meine meinen meinem meiner meines dein deine deinen deinem deiner deines sein seine
    seinen seinem seiner seines ihr ihre ihren ihrem ihrer ihres unser unsere unseren unserem unserer euer
    eure euren eurem eurer deren dessen"""
_DETERMINERS = f"""{_POSSESSIVES} dieser diese dieses diesen diesem jener jene jenes jenen jenem jeder jede
    jedes jeden jedem kein keine keinen keinem keiner keines alle allen aller manche manchen mancher einige
    einigen einiger viele vielen vieler wenige wenigen mehrere mehreren beide beiden welche welcher welches
    welchen solche solchen zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig hundert tausend
    erste ersten erster zweite zweiten letzte letzten letzter halbe halben etwas viel wenig"""
_CONTRACTIONS = "im ins am ans zum zur vom beim aufs ums übers durchs"
_PREPOSITIONS = f"""{_CONTRACTIONS} in an auf aus bei mit nach von zu vor hinter neben unter über zwischen
    durch für gegen ohne um bis seit während wegen trotz statt entlang gegenüber außer innerhalb
    außerhalb oberhalb unterhalb hinauf hinunter herein hinaus"""
_PRONOUNS = """ich du er sie es wir ihr man mich dich sich uns euch ihn ihm ihnen mir dir"""
_FUNCTION = f"""{_PRONOUNS} und oder aber denn sondern doch jedoch dass daß ob weil wenn als wie wo wohin
    woher wann warum was wer wen wem wessen nicht nie niemals immer schon noch auch nur sehr zu so dann
    danach davor dabei damit dafür darauf darin daraus darum dort da hier drinnen draußen oben unten vorne
    hinten links rechts jetzt nun heute gestern morgen bald später früher zuerst endlich schließlich
    plötzlich sofort gleich langsam leise laut kurz lange wieder zurück zusammen gemeinsam allein ja nein
    bitte danke hallo vielleicht wohl eben gerade etwa fast kaum mehr weniger sogar trotzdem deshalb
    deswegen also inzwischen währenddessen unterdessen außerdem dennoch sonst irgendwo überall niemand
    nichts jemand alles alle beide beiden einer eine eines es gibt ist war sind waren hat hatte haben
    hatten wird wurde werden wurden kann konnte muss musste will wollte soll sollte darf durfte mag
    montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli
    august september oktober november dezember mitten kurz ganz genau dann dort"""

GERMAN = Lexicon(
    code="de",
    articles=gendered(
        m="einen",
        f="eine",
        n="der die das den dem des ein einem einer eines",
    ),
    indefinite=words("ein eine einen einem einer eines"),
    determiners=words(_DETERMINERS),
    possessives=words(_POSSESSIVES),
    prepositions=words(_PREPOSITIONS),
    place_preps=words(f"zu durch {_CONTRACTIONS} in an auf bei hinter vor neben unter über zwischen nach aus"),
    city_preps=words("nach"),  # "in Ruhe", "aus Metall": nouns; "nach Hamburg": a place
    with_preps=words("mit samt"),
    of_words=words("von vom des"),
    conjunctions=words("und oder sowie"),
    that=words("dass daß"),
    function_words=words(_FUNCTION),
    subject_pronouns=gendered(m="er", f="sie"),
    object_pronouns=gendered(m="ihn ihm", f="sie"),
    clitics=frozenset(),
    titles=gendered(
        m="herr herrn hr. dr. doktor professor onkel opa großvater pfarrer kommissar hauptmann kapitän pater",
        f="frau fr. fräulein doktorin professorin tante oma großmutter kommissarin schwester",
    ),
    person_nouns=gendered(
        m="""mann junge greis alte vater bruder sohn onkel großvater opa ehemann freund nachbar fremde
        fremder kellner koch arzt polizist soldat pfarrer priester lehrer schüler fahrer kunde chef könig
        prinz bauer fischer dieb herr briefträger postbote bäcker metzger verkäufer händler mechaniker
        schreiner tischler schmied hirte kapitän matrose pilot anwalt richter bürgermeister feuerwehrmann
        pfleger hausmeister wächter musiker maler schriftsteller schauspieler fotograf journalist tierarzt
        zahnarzt fahrer schaffner förster jäger gärtner reisende cousin student""",
        f="""frau mädchen alte mutter schwester tochter tante großmutter oma ehefrau freundin nachbarin
        fremde kellnerin köchin ärztin polizistin lehrerin schülerin fahrerin kundin chefin königin
        prinzessin bäuerin dame cousine""",
        n="kind baby person",
    ),
    generic_people=words("mann frau junge mädchen kind alte greis herr dame"),
    person_adjectives=words(""),
    kin_nouns=words(
        """vater mutter bruder schwester sohn tochter onkel tante großvater großmutter opa oma mann frau
        ehemann ehefrau freund freundin cousin cousine enkel enkelin"""
    ),
    naming_words=words("namens heißt hieß genannt"),
    speech_verbs=words(
        """sagt sagen sagte sagten fragt fragen fragte fragten antwortet antworten antwortete ruft rufen rief
        riefen flüstert flüstern flüsterte murmelt murmelte schreit schreien schrie meint meinte erklärt
        erklärte erzählt erzählte fügt fügte wiederholt wiederholte brüllt brüllte seufzt seufzte bittet
        bat befiehlt befahl entgegnet entgegnete erwidert erwiderte gesteht gestand warnt warnte
        unterbricht unterbrach raunt raunte jubelt jubelte stammelt stammelte flucht fluchte lacht lachte
        spricht sprach verkündet verkündete versichert versicherte murrt murrte knurrt knurrte""",
    ),
    motion_verbs=words(
        """kommt kommen kam erreicht erreichen erreichte betritt betreten betrat fährt fahren fuhr geht gehen
        ging kehrt kehren reist reisen reiste läuft laufen lief steigt steigen stieg"""
    ),
    copulas=words("ist sind war waren scheint wirkt"),
    depiction_nouns=words("umschlag foto fotos bild bilder porträt gemälde brief briefe zeichnung bildschirm"),
    places=kinds(
        building="""haus hütte gasthaus gasthof hotel pension kneipe wirtshaus bar café restaurant geschäft
        kirche kapelle dom schule krankenhaus klinik kino theater museum sparkasse bahnhof flughafen fabrik
        werkstatt scheune stall burg palast leuchtturm wache revier gefängnis bibliothek büro
        apotheke praxis bäckerei wohnung turm kloster rathaus villa baude""",
        room="""stockwerk etage küche stube zimmer raum saal flur korridor keller dachboden speicher badezimmer
        treppe
        treppenhaus terrasse balkon dach kabine bühne halle diele kammer schlafzimmer wohnzimmer""",
        spot="tür fenster tisch theke tresen kamin ofen herd schwelle tor",
        outdoors="""weinberg straße gasse platz marktplatz brücke park garten wald berg gebirge gipfel hügel tal fluss
        see meer strand küste ufer hafen insel feld wiese dorf stadt wüste friedhof hof pfad alm lichtung
        weide acker""",
        vehicle="auto wagen bus zug boot schiff flugzeug taxi lastwagen straßenbahn kutsche",
    ),
    time_words=times(
        DAWN="morgengrauen sonnenaufgang tagesanbruch morgendämmerung",
        MORNING="morgen morgens vormittag vormittags frühe",
        DAY="mittag mittags",
        AFTERNOON="nachmittag nachmittags",
        DUSK="dämmerung abenddämmerung sonnenuntergang",
        EVENING="abend abends",
        NIGHT="nacht nachts mitternacht",
    ),
    time_after_article=words("morgen"),
    until=words("bis"),
    perfect=words("habe hast hat haben habt"),
    pluperfect=words("hatte hattest hatten hattet"),
    participle=r"ge\w+(t|en)|\w+iert",
    small_hours=words("ein eins zwei drei vier 1 2 3 4"),
    group_words=words("alle beide beiden zusammen gemeinsam"),
    owner_template="{owner}s {noun}",
    capitalised_nouns=True,
    compounds=True,
    feminine_suffix="in",
    shop_suffix="erei",
)

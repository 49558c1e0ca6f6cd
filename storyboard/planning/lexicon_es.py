"""Spanish for the rule-based reader (see lexicon_intl.Lexicon)."""

from __future__ import annotations

from .lexicon_intl import Lexicon, gendered, kinds, times, words

_POSSESSIVES = "mi mis tu tus su sus nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras"
_DETERMINERS = f"""{_POSSESSIVES} este esta estos estas ese esa esos esas aquel aquella aquellos aquellas
    cada otro otra otros otras mucho mucha muchos muchas poco poca pocos pocas algún alguno alguna algunos
    algunas ningún ninguna cualquier varios varias todo toda todos todas ambos ambas demás tanto tanta tantos
    tantas cierto cierta medio media primer primera segundo segunda último última dos tres cuatro cinco seis
    siete ocho nueve diez once doce veinte cien mil"""
_PREPOSITIONS = """a al ante bajo con contra de del desde durante en entre hacia hasta mediante para por
    según sin sobre tras junto dentro fuera cerca lejos detrás delante encima debajo"""
_PRONOUNS = """yo tú él ella ello nosotros nosotras vosotros vosotras ellos ellas usted ustedes me te se le
    les lo la los las nos os mí ti sí conmigo contigo consigo"""
_FUNCTION = f"""{_PRONOUNS} y e o u ni pero sino mas aunque porque pues que qué quien quién quienes cual
    cuál cuales cuando cuándo donde dónde como cómo cuanto cuánto si sí no nunca jamás siempre ya aún
    todavía también tampoco solo sólo apenas casi muy más menos bien mal así entonces luego después antes
    ahora hoy ayer mañana anoche pronto tarde temprano aquí allí allá ahí acá afuera adentro arriba abajo
    enseguida mientras incluso además quizá quizás acaso tal vez finalmente mientras primero segundo
    tercero entretanto poco mucho demasiado nadie nada alguien algo todo todos todas cada uno una unos unas
    de repente sin embargo por fin al final de pronto esa ese eso esto aquello hay había habrá era fue es
    está estaba están estaban son fueron ha han he has hemos sí claro vale bueno buenas gracias hola adiós
    lentamente rápidamente despacio juntos juntas dentro fuera cerca lejos encima debajo delante detrás
    durante tras según hacia hasta desde sobre entre contra sin para por con en lunes martes miércoles
    jueves viernes sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre
    noviembre diciembre señal fin"""

SPANISH = Lexicon(
    code="es",
    articles=gendered(m="el un uno", f="la una", n="los las unos unas lo"),
    indefinite=words("un una uno"),
    determiners=words(_DETERMINERS),
    possessives=words(_POSSESSIVES),
    prepositions=words(_PREPOSITIONS),
    place_preps=words("a al en hasta dentro fuera hacia desde junto cerca detrás delante"),
    city_preps=words("en desde hacia"),
    with_preps=words("con junto"),
    of_words=words("de del"),
    conjunctions=words("y e o u ni"),
    that=words("que"),
    function_words=words(_FUNCTION),
    subject_pronouns=gendered(m="él", f="ella", n="ellos ellas"),
    object_pronouns=gendered(n="le les"),
    clitics=words("me te se le les lo la los las nos os"),
    titles=gendered(
        m="señor sr sr. don d. doctor dr dr. padre fray tío abuelo profesor capitán comisario inspector",
        f="señora sra sra. señorita srta srta. doña dña dña. doctora dra dra. madre sor tía abuela profesora",
    ),
    person_nouns=gendered(
        m="""hombre señor niño chico muchacho anciano viejo abuelo padre hermano hijo tío primo marido
        esposo novio amigo vecino desconocido extraño camarero cocinero médico doctor
        soldado cura sacerdote maestro profesor alumno conductor dueño jefe
        empleado espectador cartero panadero carnicero pescadero tendero vendedor mecánico carpintero
        herrero pastor granjero marinero piloto abogado juez alcalde bombero enfermero portero vigilante
        repartidor músico pintor escritor actor director fotógrafo veterinario viajero pasajero peluquero
        pescador campesino ladrón rey príncipe caballero muchachito chaval bebé""",
        f="""mujer señora niña chica muchacha anciana vieja abuela madre hermana hija tía prima esposa novia
        amiga vecina desconocida extraña camarera cocinera médica doctora enfermera maestra profesora alumna
        dueña jefa empleada peluquera reina princesa señorita panadera carnicera pescadera tendera vendedora
        granjera abogada jueza alcaldesa portera pintora escritora actriz directora fotógrafa veterinaria
        viajera pasajera""",
        n="""persona gente joven estudiante cliente taxista policía guardia periodista artista comerciante
        conserje guía dentista piloto""",
    ),
    generic_people=words(
        "hombre mujer niño niña chico chica muchacho muchacha anciano anciana viejo vieja señor señora"
    ),
    person_adjectives=words("viejo vieja viejos viejas anciano anciana joven jóvenes pequeño pequeña"),
    kin_nouns=words(
        """padre madre hermano hermana hijo hija tío tía primo prima abuelo abuela marido esposo esposa
        novio novia amigo amiga mujer"""
    ),
    naming_words=words("llamado llamada llamados llamadas apodado apodada nombrado nombrada llama"),
    speech_verbs=words(
        """dice dicen dijo dijeron decía pregunta preguntan preguntó preguntaba responde responden respondió
        contesta contestan contestó grita gritan gritó gritaba susurra susurran susurró murmura murmuran
        murmuró exclama exclamó añade añadió insiste insistió replica replicó explica explicó cuenta contó
        llama llamó suplica suplicó ordena ordenó anuncia anunció declara declaró comenta comentó repite
        repitió protesta protestó admite admitió advierte advirtió interrumpe interrumpió continúa continuó
        sigue siguió asegura aseguró confiesa confesó ruega rogó propone propuso murmuraba susurraba
        balbucea balbuceó habla hablan habló hablaba canta cantó chilla chilló bromea bromeó suspira suspiró ríe rió""",
    ),
    motion_verbs=words(
        """llega llegan llegó entra entran entró vuelve vuelven volvió regresa regresan regresó va van viaja
        viajan viajó sube suben subió baja bajan bajó cruza cruzan camina caminan corre corren"""
    ),
    copulas=words("es son era eran fue fueron está estaba parece"),
    depiction_nouns=words("foto fotos fotografía retrato cuadro imagen carta cartas dibujo pantalla película"),
    places=kinds(
        building="""casa edificio hotel hostal posada bar café cafetería restaurante tienda iglesia capilla
        catedral escuela colegio hospital clínica cine teatro museo estación aeropuerto fábrica taller
        almacén granja cabaña castillo palacio faro comisaría cárcel prisión biblioteca oficina mercado
        panadería farmacia peluquería consultorio gimnasio piso apartamento torre convento""",
        room="""planta piso cocina salón sala habitación dormitorio cuarto baño pasillo sótano desván ático
        despacho
        estudio comedor recepción vestíbulo cabina escalera escaleras terraza balcón patio azotea bodega
        aula consulta celda taquilla camerino escenario""",
        spot="puerta ventana mesa barra mostrador chimenea rincón umbral portal",
        outdoors="""viña viñedo huerta calle plaza avenida carretera camino puente parque jardín bosque selva
        monte montaña
        montañas colina valle río lago mar playa costa orilla puerto muelle isla campo pueblo ciudad barrio
        aldea desierto cementerio huerto prado sendero playa acera esquina""",
        vehicle="coche autobús tren barco avión taxi camión furgoneta metro tranvía barca",
    ),
    time_words=times(
        DAWN="madrugada amanecer alba aurora",
        MORNING="mañana mañanas",
        DAY="mediodía",
        AFTERNOON="tarde tardes",
        DUSK="atardecer anochecer crepúsculo ocaso",
        NIGHT="noche noches medianoche",
    ),
    time_after_article=words("mañana tarde"),
    until=words("hasta"),
    perfect=words("he has ha hemos han"),
    pluperfect=words("había habías habíamos habían"),
    participle=r"\w+(ado|ada|ados|adas|ido|ida|idos|idas|to|cho|sto)",
    small_hours=words("una dos tres cuatro 1 2 3 4"),
    group_words=words("todos todas ambos ambas juntos juntas"),
    owner_template="{noun} de {owner}",
    pro_drop=True,
    shop_suffix="ería",
)

"""French for the rule-based reader (see lexicon_intl.Lexicon)."""

from __future__ import annotations

from .lexicon_intl import Lexicon, gendered, kinds, times, words

_POSSESSIVES = "mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs"
_DETERMINERS = f"""{_POSSESSIVES} ce cet cette ces chaque quelque quelques plusieurs certain certaine
    certains certaines tout toute tous toutes aucun aucune autre autres même mêmes deux trois quatre cinq
    six sept huit neuf dix onze douze vingt cent mille premier première dernier dernière"""
_PREPOSITIONS = """à au aux de du des d' dans en sur sous chez par pour avec sans vers contre entre devant
    derrière près loin depuis pendant avant après jusqu' jusque parmi selon malgré hors dès envers"""
_PRONOUNS = """je j' tu il elle on nous vous ils elles me m' te t' se s' le la les l' lui leur y en moi toi
    soi eux ça cela ceci celui celle ceux celles"""
_FUNCTION = f"""{_PRONOUNS} et ou mais donc or ni car que qu' qui quoi dont où quand comme si lorsque
    lorsqu' puisque puisqu' parce quoique ne n' pas plus jamais rien personne toujours déjà encore aussi
    alors ensuite puis enfin soudain soudainement tout-à-coup maintenant aujourd'hui hier demain ici là
    là-bas dehors dedans dessus dessous partout ailleurs bientôt tard tôt très trop peu beaucoup bien mal
    ainsi pourtant cependant toutefois néanmoins pendant tandis même seulement vraiment peut-être oui non
    merci bonjour bonsoir salut voici voilà c' ce cet cette ces ceux il y a est était sont étaient fut a ont
    avait avaient sera chaque quelques plusieurs tous toutes tout toute aucun aucune lentement doucement
    vite ensemble lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre dès depuis avant après près loin devant derrière
    dans sur sous chez pour par avec sans vers contre entre pendant jamais"""

FRENCH = Lexicon(
    code="fr",
    articles=gendered(m="le un", f="la une", n="les l' des du"),
    indefinite=words("un une"),
    determiners=words(_DETERMINERS),
    possessives=words(_POSSESSIVES),
    prepositions=words(_PREPOSITIONS),
    place_preps=words("à au aux dans en sur sous chez vers devant derrière près depuis jusqu'"),
    city_preps=words("à en dans depuis vers"),
    with_preps=words("avec"),
    of_words=words("de du des d'"),
    conjunctions=words("et ou ni"),
    that=words("que qu'"),
    function_words=words(_FUNCTION),
    subject_pronouns=gendered(m="il", f="elle", n="ils elles"),
    object_pronouns=gendered(n="lui leur", m="", f=""),
    clitics=words("me m' te t' se s' le la les l' lui leur y en"),
    titles=gendered(
        m="monsieur m. messieurs docteur dr père frère oncle grand-père papi abbé capitaine commissaire inspecteur",
        f="madame mme mademoiselle mlle mesdames docteure mère sœur tante grand-mère mamie",
    ),
    person_nouns=gendered(
        m="""homme monsieur garçon vieillard père frère fils oncle cousin mari époux fiancé
        ami copain voisin inconnu étranger serveur cuisinier médecin docteur policier gendarme soldat prêtre
        curé maître professeur étudiant chauffeur client patron coiffeur pêcheur paysan
        voleur roi prince chevalier grand-père vieux garçonnet facteur boulanger boucher poissonnier épicier
        vendeur marchand mécanicien menuisier forgeron berger fermier capitaine marin pilote cuisinier avocat
        juge maire pompier infirmier gardien musicien écrivain acteur réalisateur voyageur passager""",
        f="""femme madame fille vieille mère sœur tante cousine épouse fiancée amie copine voisine
        inconnue étrangère serveuse cuisinière infirmière maîtresse étudiante cliente patronne
        coiffeuse reine princesse grand-mère dame demoiselle gamine boulangère bouchère épicière vendeuse
        marchande fermière avocate musicienne actrice voyageuse passagère""",
        n="personne gens enfant bébé élève propriétaire concierge peintre photographe journaliste dentiste guide",
    ),
    generic_people=words("homme femme garçon fille enfant vieillard vieux vieille dame monsieur madame"),
    person_adjectives=words("vieux vieille vieilles jeune jeunes petit petite"),
    kin_nouns=words(
        """père mère frère sœur fils fille oncle tante cousin cousine grand-père grand-mère mari époux
        épouse femme fiancé fiancée ami amie"""
    ),
    naming_words=words("nommé nommée nommés appelé appelée surnommé surnommée appelle prénommé prénommée"),
    speech_verbs=words(
        """dit disent disait dirent demande demandent demanda demandait répond répondent répondit répondait
        crie crient cria criait murmure murmurent murmura murmurait chuchote chuchota souffle souffla
        exclame exclama écrie écria ajoute ajouta insiste insista réplique répliqua explique expliqua
        raconte raconta appelle appela supplie supplia ordonne ordonna annonce annonça déclare déclara
        lance lança répète répéta proteste protesta avoue avoua avertit avertissait interrompt interrompit
        continue continua reprend reprit hurle hurla soupire soupira confie confia assure assura rétorque
        rétorqua parle parlent parla parlait glisse glissa bredouille bredouilla balbutie balbutia plaisante
        plaisanta rit rirent
        chante chanta grogne grogna lâche lâcha""",
    ),
    motion_verbs=words(
        """arrive arrivent arriva entre entrent entra rentre rentrent rentra revient reviennent revint va vont
        alla part partent partit monte montent monta descend descendent voyage voyagent traverse court marche"""
    ),
    copulas=words("est sont était étaient fut semble"),
    depiction_nouns=words("enveloppe photo photos photographie portrait tableau image lettre lettres dessin écran"),
    places=kinds(
        building="""maison immeuble hôtel auberge bar café restaurant boutique magasin épicerie boulangerie
        église chapelle cathédrale école lycée collège hôpital clinique cinéma théâtre musée banque gare
        aéroport usine atelier entrepôt ferme cabane chalet château palais phare commissariat prison
        bibliothèque bureau marché pharmacie appartement tour couvent mairie""",
        room="""étage cuisine salon chambre pièce salle couloir cave grenier bureau studio vestibule entrée
        escalier escaliers terrasse balcon cour toit cabine loge scène réception atelier""",
        spot="porte fenêtre table comptoir cheminée coin seuil fauteuil",
        outdoors="""vigne vignes vignoble coteau rue place avenue boulevard route chemin pont parc jardin forêt bois
        montagne montagnes
        colline vallée rivière fleuve lac mer plage côte rive port quai île champ champs village ville
        quartier désert cimetière verger prairie sentier trottoir carrefour""",
        vehicle="voiture autobus bus car train wagon compartiment bateau avion taxi camion métro tramway barque",
    ),
    time_words=times(
        DAWN="aube aurore",
        MORNING="matin matinée",
        DAY="midi",
        AFTERNOON="après-midi",
        DUSK="crépuscule",
        EVENING="soir soirée",
        NIGHT="nuit minuit",
    ),
    time_after_article=frozenset(),
    until=words("jusqu' jusqu'au jusqu'à"),
    perfect=words("ai as a avons avez ont"),
    pluperfect=words("avais avait avions aviez avaient"),
    participle=r"\w+(é|ée|és|ées|i|is|it|u|us|ert|int|ait)",
    small_hours=words("une deux trois quatre 1 2 3 4"),
    group_words=words("tous toutes ensemble"),
    owner_template="{noun} de {owner}",
    shop_suffix="erie",
)

"""The fields of the CPF catalogue the generator draws from: titles, certifications, prices, durations,
and how often each field (and each language) appears. A data table: one entry per field."""

from dataclasses import dataclass

from opencpf.catalogue.enums import CertificationKind

K = CertificationKind


@dataclass(frozen=True)
class Field:
    name: str
    weight: float
    titles: tuple[str, ...]
    certifications: tuple[tuple[str, str, int | None], ...]  # (kind, title, level)
    price: tuple[int, int]
    hours: tuple[int, int]
    remote_share: float  # share of offers given remotely (plus as much again mixed)
    skills: tuple[str, ...]
    audience: tuple[str, ...]


LANGUAGES = {
    "Anglais": 10,
    "Espagnol": 3,
    "Allemand": 2,
    "Italien": 2,
    "Français langue étrangère (FLE)": 2,
    "Chinois mandarin": 1,
    "Portugais": 1,
    "Arabe": 1,
    "Japonais": 0.5,
    "Russe": 0.5,
    "Langue des signes française (LSF)": 0.5,
}
LANGUAGE_TITLES = (
    "{lang} professionnel",
    "{lang} professionnel — préparation à la certification",
    "{lang} : cours individuels tous niveaux",
    "{lang} des affaires",
    "{lang} débutant (A1-A2)",
    "{lang} intermédiaire (B1-B2)",
    "{lang} intensif en immersion",
    "Perfectionnement en {lang_lower} à l'oral",
    "{lang} pour l'hôtellerie et le tourisme",
    "{lang} : réussir ses réunions et ses appels",
    "{lang} en visioconférence avec un formateur natif",
)
LANGUAGE_CERTIFICATIONS = (
    (K.RS, "Test TOEIC Listening and Reading", None),
    (K.RS, "Linguaskill", None),
    (K.RS, "Certificat de compétences en langues de l'enseignement supérieur (CLES)", None),
    (K.RS, "Diplôme de compétence en langue (DCL)", None),
    (K.RS, "Bright Language", None),
    (K.RS, "LILATE — test de compétences linguistiques", None),
    (K.RS, "Certification Pipplet", None),
    (K.RS, "TOEFL ITP", None),
)

FIELDS = (
    Field(
        "languages",
        0.0,  # weight of each language comes from LANGUAGES
        (),
        LANGUAGE_CERTIFICATIONS,
        (450, 3200),
        (10, 80),
        0.45,
        ("compréhension orale", "expression écrite", "vocabulaire professionnel", "grammaire", "prononciation"),
        ("salariés", "demandeurs d'emploi", "indépendants"),
    ),
    Field(
        "digital",
        18,
        (
            "Développeur web et web mobile",
            "Développeuse web et web mobile",
            "Concepteur développeur d'applications",
            "Développeur Python",
            "Administrateur d'infrastructures sécurisées",
            "Technicien supérieur systèmes et réseaux",
            "Excel — perfectionnement et tableaux croisés dynamiques",
            "Excel initiation",
            "Word, Excel, PowerPoint : les bases de la bureautique",
            "Data analyst",
            "Cybersécurité : les fondamentaux",
            "WordPress : créer et gérer son site internet",
            "Photoshop et Illustrator",
            "Intelligence artificielle générative au travail",
            "SQL et bases de données relationnelles",
            "Java et développement back-end",
            "Concevoir des sites avec Figma",
            "Technicien d'assistance en informatique",
        ),
        (
            (K.RNCP, "Développeur web et web mobile", 5),
            (K.RNCP, "Concepteur développeur d'applications", 6),
            (K.RNCP, "Administrateur d'infrastructures sécurisées", 6),
            (K.RNCP, "Technicien supérieur systèmes et réseaux", 5),
            (K.RNCP, "Data analyst", 6),
            (K.RNCP, "Technicien d'assistance en informatique", 4),
            (K.RS, "TOSA Excel", None),
            (K.RS, "TOSA Word", None),
            (K.RS, "ICDL — PCIE Passeport de compétences informatique européen", None),
            (K.RS, "Créer et gérer un site avec WordPress", None),
            (K.RS, "Utiliser l'intelligence artificielle générative", None),
        ),
        (600, 8900),
        (14, 1200),
        0.5,
        ("algorithmique", "HTML et CSS", "JavaScript", "bases de données", "tableaux croisés", "réseaux", "sécurité"),
        ("salariés", "demandeurs d'emploi", "personnes en reconversion"),
    ),
    Field(
        "transport",
        10,
        (
            "CACES R489 chariots élévateurs catégories 1A, 3 et 5",
            "Cariste d'entrepôt",
            "Conducteur du transport routier de marchandises sur porteur",
            "Conductrice routière de marchandises",
            "FIMO marchandises",
            "FCO transport de voyageurs",
            "Agent magasinier",
            "Préparateur de commandes en entrepôt",
            "Conducteur de transport en commun sur route",
            "Technicien en logistique d'entreposage",
            "CACES R486 plates-formes élévatrices mobiles",
        ),
        (
            (K.RNCP, "Conducteur du transport routier de marchandises sur porteur", 3),
            (K.RNCP, "Cariste d'entrepôt", 3),
            (K.RNCP, "Agent magasinier", 3),
            (K.RNCP, "Préparateur de commandes en entrepôt", 2),
            (K.RNCP, "Conducteur du transport en commun sur route", 3),
            (K.RNCP, "Technicien en logistique d'entreposage", 4),
            (K.RS, "CACES R489 — chariots de manutention", None),
            (K.RS, "CACES R486 — plates-formes élévatrices mobiles de personnes", None),
        ),
        (250, 7500),
        (14, 600),
        0.02,
        ("sécurité", "conduite", "manutention", "gestion des stocks", "réglementation"),
        ("salariés", "demandeurs d'emploi", "intérimaires"),
    ),
    Field(
        "management",
        15,
        (
            "Manager d'équipe",
            "Responsable de petite et moyenne structure",
            "Gestionnaire de paie",
            "Comptable assistant",
            "Secrétaire assistant",
            "Assistante ressources humaines",
            "Gestion de projet",
            "Management et leadership",
            "Prise de parole en public",
            "Gestionnaire comptable et fiscal",
            "Assistant de direction",
            "Comptabilité : les fondamentaux",
        ),
        (
            (K.RNCP, "Manager d'unité opérationnelle", 6),
            (K.RNCP, "Responsable de petite et moyenne structure", 6),
            (K.RNCP, "Gestionnaire de paie", 5),
            (K.RNCP, "Comptable assistant", 4),
            (K.RNCP, "Secrétaire assistant", 4),
            (K.RNCP, "Assistant ressources humaines", 5),
            (K.RNCP, "Gestionnaire comptable et fiscal", 5),
            (K.RS, "Certification en gestion de projet", None),
            (K.RS, "Encadrer une équipe de proximité", None),
        ),
        (700, 9500),
        (14, 900),
        0.45,
        ("communication", "organisation", "comptabilité", "droit du travail", "entretien annuel", "tableaux de bord"),
        ("salariés", "managers", "demandeurs d'emploi"),
    ),
    Field(
        "care",
        8,
        (
            "Aide-soignant",
            "Aide-soignante en EHPAD",
            "Auxiliaire de puériculture",
            "Assistant de vie aux familles",
            "Accompagnant éducatif et social",
            "Secrétaire médical",
            "Agent de service médico-social",
            "Sauveteur secouriste du travail (SST)",
            "Infirmière : prise en charge de la douleur",
        ),
        (
            (K.RNCP, "Diplôme d'État d'aide-soignant", 4),
            (K.RNCP, "Diplôme d'État d'auxiliaire de puériculture", 4),
            (K.RNCP, "Assistant de vie aux familles", 3),
            (K.RNCP, "Diplôme d'État d'accompagnant éducatif et social", 3),
            (K.RNCP, "Secrétaire assistant médico-social", 4),
            (K.RNCP, "Agent de service médico-social", 3),
            (K.RS, "Sauveteur secouriste du travail", None),
        ),
        (200, 7800),
        (7, 1500),
        0.05,
        ("hygiène", "soins", "accompagnement", "gestes d'urgence", "communication avec les familles"),
        ("salariés", "demandeurs d'emploi", "personnes en reconversion"),
    ),
    Field(
        "building",
        8,
        (
            "Électricien d'équipement du bâtiment",
            "Plombier chauffagiste",
            "Maçon",
            "Peintre en bâtiment",
            "Menuisier installateur",
            "Carreleur mosaïste",
            "Habilitation électrique B1V B2V BR BC",
            "Installateur en thermique et sanitaire",
            "Technicien de maintenance en climatisation",
            "Soudeur TIG électrode enrobée",
            "Électricienne en rénovation énergétique",
        ),
        (
            (K.RNCP, "Électricien d'équipement du bâtiment", 3),
            (K.RNCP, "Installateur en thermique et sanitaire", 3),
            (K.RNCP, "Maçon", 3),
            (K.RNCP, "Peintre en bâtiment", 3),
            (K.RNCP, "Menuisier installateur", 3),
            (K.RNCP, "Carreleur mosaïste", 3),
            (K.RNCP, "Technicien de maintenance en génie climatique", 4),
            (K.RNCP, "Soudeur TIG électrode enrobée", 3),
            (K.RS, "Habilitation électrique", None),
        ),
        (300, 9500),
        (14, 1200),
        0.01,
        ("lecture de plans", "sécurité sur chantier", "normes", "outillage", "finitions"),
        ("salariés", "demandeurs d'emploi", "artisans"),
    ),
    Field(
        "hospitality",
        4,
        (
            "Cuisinier",
            "Commis de cuisine",
            "Pâtissier",
            "Boulanger",
            "Serveur en restauration",
            "Permis d'exploitation de débit de boissons",
            "Hygiène alimentaire en restauration commerciale (HACCP)",
        ),
        (
            (K.RNCP, "Cuisinier", 3),
            (K.RNCP, "Commis de cuisine", 3),
            (K.RNCP, "Pâtissier", 3),
            (K.RNCP, "Serveur en restauration", 3),
            (K.RS, "Permis d'exploitation", None),
            (K.RS, "Hygiène alimentaire adaptée à l'activité des établissements de restauration commerciale", None),
        ),
        (250, 8000),
        (14, 900),
        0.05,
        ("hygiène", "techniques culinaires", "service", "gestion des stocks"),
        ("salariés", "demandeurs d'emploi", "créateurs d'entreprise"),
    ),
    Field(
        "sales",
        6,
        (
            "Vendeur conseil en magasin",
            "Négociateur technico-commercial",
            "Marketing digital et réseaux sociaux",
            "Community manager",
            "Conseiller commercial",
            "Référencement naturel (SEO)",
            "Manager d'unité marchande",
            "Vendeuse conseil en magasin",
        ),
        (
            (K.RNCP, "Vendeur conseil en magasin", 4),
            (K.RNCP, "Négociateur technico-commercial", 5),
            (K.RNCP, "Conseiller commercial", 4),
            (K.RNCP, "Manager d'unité marchande", 5),
            (K.RS, "Community management", None),
            (K.RS, "Référencement naturel et payant", None),
        ),
        (500, 7000),
        (14, 800),
        0.5,
        ("prospection", "négociation", "réseaux sociaux", "relation client", "merchandising"),
        ("salariés", "demandeurs d'emploi", "indépendants"),
    ),
    Field(
        "beauty",
        3,
        (
            "Esthéticienne cosméticienne",
            "Coiffure : CAP coiffure en un an",
            "Prothésiste ongulaire",
            "Maquillage professionnel",
            "Barbier",
        ),
        (
            (K.RNCP, "CAP esthétique cosmétique parfumerie", 3),
            (K.RNCP, "CAP métiers de la coiffure", 3),
            (K.RS, "Prothésie ongulaire", None),
            (K.RS, "Maquillage professionnel", None),
        ),
        (400, 6500),
        (21, 800),
        0.05,
        ("techniques de soin", "hygiène", "conseil client", "vente de produits"),
        ("salariés", "demandeurs d'emploi", "personnes en reconversion"),
    ),
    Field(
        "driving",
        6,
        (
            "Permis B — formation à la conduite",
            "Permis B boîte automatique",
            "Permis B en conduite accélérée",
            "Permis C (poids lourd)",
            "Permis CE (super poids lourd)",
            "Permis D (transport en commun)",
            "Code de la route : préparation à l'examen théorique",
        ),
        (
            (K.DRIVING_LICENCE, "Permis de conduire catégorie B", None),
            (K.DRIVING_LICENCE, "Permis de conduire catégorie C", None),
            (K.DRIVING_LICENCE, "Permis de conduire catégorie CE", None),
            (K.DRIVING_LICENCE, "Permis de conduire catégorie D", None),
            (K.DRIVING_LICENCE, "Épreuve théorique générale (code de la route)", None),
        ),
        (300, 4500),
        (10, 140),
        0.03,
        ("code de la route", "manœuvres", "conduite en circulation", "éco-conduite", "sécurité routière"),
        ("salariés", "demandeurs d'emploi", "jeunes actifs"),
    ),
    Field(
        "skills_assessment",
        2.5,
        (
            "Bilan de compétences",
            "Bilan de compétences : reconversion professionnelle",
            "Bilan de compétences en ligne avec un consultant",
            "Bilan de compétences pour cadres",
        ),
        ((K.SKILLS_ASSESSMENT, "Bilan de compétences", None),),
        (900, 2900),
        (10, 24),
        0.5,
        ("motivations", "compétences transférables", "projet professionnel", "plan d'action"),
        ("salariés", "demandeurs d'emploi", "cadres"),
    ),
    Field(
        "vae",
        1,
        (
            "Accompagnement VAE",
            "Accompagnement à la validation des acquis de l'expérience",
            "VAE : obtenir un diplôme grâce à son expérience",
        ),
        ((K.VAE, "Validation des acquis de l'expérience (VAE)", None),),
        (900, 3500),
        (10, 30),
        0.6,
        ("livret de recevabilité", "dossier de preuves", "préparation au jury"),
        ("salariés", "indépendants", "bénévoles"),
    ),
    Field(
        "business_creation",
        2.5,
        (
            "Créer ou reprendre une entreprise",
            "Création d'entreprise : du projet au lancement",
            "Micro-entrepreneur : réussir son lancement",
            "Construire son business plan",
        ),
        ((K.BUSINESS_CREATION, "Création ou reprise d'entreprise", None),),
        (400, 3500),
        (14, 120),
        0.45,
        ("étude de marché", "business plan", "statut juridique", "financement", "communication"),
        ("demandeurs d'emploi", "salariés", "porteurs de projet"),
    ),
)
LANGUAGE_FIELD = FIELDS[0]
LANGUAGE_WEIGHT = 22


def _weighted_fields() -> tuple[list[tuple[Field, str | None]], list[float]]:
    """(field, language or None) pairs with their weights: languages are split by language."""
    choices: list[tuple[Field, str | None]] = []
    weights: list[float] = []
    total_languages = sum(LANGUAGES.values())
    for language, weight in LANGUAGES.items():
        choices.append((LANGUAGE_FIELD, language))
        weights.append(LANGUAGE_WEIGHT * weight / total_languages)
    for field in FIELDS[1:]:
        choices.append((field, None))
        weights.append(field.weight)
    return choices, weights

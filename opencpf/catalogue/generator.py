"""A synthetic but realistic French training catalogue of any size, for the demo and the benchmarks.

Titles, certifications, prices and durations follow the real fields of the CPF catalogue (languages, digital,
transport and logistics, management and office work, care, building trades, hospitality, sales, beauty, driving
licences, skills assessments, VAE, business creation). Sessions take place in real communes, weighted by
population, or remotely. Rows are written with multi-row INSERTs (SQLite) or COPY (PostgreSQL) in batches.
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from stdnum import luhn

from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationStatus
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.places.selectors import places

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

ORGANISATION_PREFIXES = (
    "Institut",
    "Centre de formation",
    "Académie",
    "École",
    "Atelier",
    "Campus",
    "Espace",
    "Cap",
    "Groupe",
    "Maison de la formation",
)
ORGANISATION_DOMAINS = {
    "languages": ("des Langues", "Lingua", "Speak", "Babel", "Language Lab"),
    "digital": ("Numérique", "Digital", "Code", "Informatique", "Data"),
    "transport": ("Transport et Logistique", "Route", "Logistique", "Conduite Pro"),
    "management": ("Management", "Gestion", "Compétences", "Entreprise", "Tertiaire"),
    "care": ("Santé", "Soins", "Sanitaire et Social", "Vie"),
    "building": ("Bâtiment", "BTP", "Artisanat", "Métiers du Bâti"),
    "hospitality": ("Cuisine", "Hôtellerie", "Gastronomie", "Saveurs"),
    "sales": ("Commerce", "Vente", "Marketing", "Business"),
    "beauty": ("Beauté", "Esthétique", "Coiffure"),
    "driving": ("Auto-école", "Conduite", "Permis"),
    "skills_assessment": ("Bilan", "Orientation", "Carrière", "Avenir"),
    "vae": ("VAE", "Validation", "Expérience"),
    "business_creation": ("Entreprendre", "Création", "Start"),
}

SENTENCES = (
    "Formation éligible au CPF, animée par des formateurs expérimentés du métier.",
    "Pédagogie active : mises en situation, études de cas et exercices pratiques.",
    "Un entretien de positionnement permet d'adapter le parcours à votre niveau.",
    "Accompagnement individuel tout au long de la formation.",
    "Accès à une plateforme en ligne avec ressources et exercices complémentaires.",
    "Groupes de 6 à 12 stagiaires pour favoriser les échanges.",
    "Locaux accessibles aux personnes en situation de handicap.",
    "Évaluation des acquis en fin de parcours et passage de la certification.",
    "Entrées et sorties permanentes : démarrez quand vous le souhaitez.",
    "Taux de réussite et de satisfaction publiés chaque année.",
)


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


def make_siret(rng: random.Random, used: set[str]) -> str:
    while True:
        siren_body = f"{rng.randrange(10_000_000, 99_999_999):08d}"
        siren = siren_body + luhn.calc_check_digit(siren_body)
        body = siren + f"{rng.randrange(1, 9999):04d}"
        siret = body + luhn.calc_check_digit(body)
        if siret not in used:
            used.add(siret)
            return siret


class _Writer:
    """Multi-row INSERT (SQLite and others) or COPY (PostgreSQL) with explicit ids."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                per_statement = max(1, 30_000 // len(columns))
                for start in range(0, len(rows), per_statement):
                    chunk = rows[start : start + per_statement]
                    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
                    cursor.execute(
                        f"INSERT INTO {table} ({quoted}) VALUES {placeholders}",
                        [self._adapt(value) for row in chunk for value in row],
                    )

    @staticmethod
    def _adapt(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def analyze(self, models) -> None:
        """Fresh planner statistics after a bulk load."""
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    def reset_sequences(self, models) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )


def _next_id(model) -> int:
    last = model.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


@dataclass
class GenerationReport:
    organisations: int
    certifications: int
    offers: int
    sessions: int


def generate(
    *,
    offers: int,
    sessions: int,
    organisations: int | None = None,
    seed: int = 2026,
    today: datetime.date | None = None,
    batch_size: int = 10_000,
    progress=None,
) -> GenerationReport:
    """Add `offers` offers and `sessions` sessions (spread unevenly over the offers) from approved organisations."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    # Marked as changed a while ago: the index rebuild that follows need not catch up on these offers twice.
    changed_at = now - datetime.timedelta(hours=1)
    organisations = organisations or max(1, offers // 13)
    writer = _Writer()
    choices, weights = _weighted_fields()

    towns = [p for p in {p.key: p for p in places().all}.values() if p.population >= 3000]
    town_weights = [p.population**0.85 for p in towns]

    # Certifications: reuse existing codes, create the others with fresh synthetic numbers.
    certification_ids: dict[tuple[str, str], int] = {}
    existing = {(c.kind, c.title): c.id for c in Certification.objects.all()}
    used_codes = set(Certification.objects.values_list("code", flat=True))
    new_certifications = []
    next_certification = _next_id(Certification)
    code_rng = random.Random(seed + 1)
    for field in FIELDS:
        for kind, title, level in field.certifications:
            if (kind, title) in existing:
                certification_ids[(kind, title)] = existing[(kind, title)]
                continue
            if (kind, title) in certification_ids:
                continue
            code = _certification_code(kind, title, code_rng, used_codes)
            certification_ids[(kind, title)] = next_certification
            new_certifications.append((next_certification, code, kind, title, level, True))
            next_certification += 1

    with transaction.atomic():
        writer.write(Certification, ["id", "code", "kind", "title", "level", "is_active"], new_certifications)

        # Organisations: each has a main field and a home town.
        used_sirets = set(Organisation.objects.values_list("siret", flat=True))
        first_organisation = _next_id(Organisation)
        organisation_rows = []
        organisation_info = []
        for number in range(organisations):
            field, language = rng.choices(choices, weights)[0]
            town = rng.choices(towns, town_weights)[0]
            domain = rng.choice(ORGANISATION_DOMAINS[field.name])
            name = f"{rng.choice(ORGANISATION_PREFIXES)} {domain} {town.name.split(' ')[0]}"
            if rng.random() < 0.3:
                name += f" {rng.choice(('Formation', 'Pro', 'Conseil', 'Sud', 'Nord', 'Atlantique', 'Plus'))}"
            organisation_id = first_organisation + number
            organisation_rows.append(
                (
                    organisation_id,
                    name,
                    make_siret(rng, used_sirets),
                    f"{rng.randrange(11, 94):02d}{rng.randrange(0, 10)}{rng.randrange(10_000_000, 99_999_999):08d}",
                    f"QUALIOPI-{rng.randrange(100_000, 999_999)}",
                    today + datetime.timedelta(days=rng.randrange(90, 1000)),
                    OrganisationStatus.APPROVED,
                    now,
                    "",
                    "",
                    town.postal_code,
                    town.name,
                    "",
                    "",
                    "",
                    now,
                    now,
                )
            )
            organisation_info.append((organisation_id, field, language, town))
        writer.write(
            Organisation,
            [
                "id",
                "name",
                "siret",
                "activity_declaration_number",
                "qualiopi_certificate",
                "qualiopi_expires_on",
                "status",
                "status_changed_at",
                "description",
                "address",
                "postal_code",
                "city",
                "website",
                "email",
                "phone",
                "created_at",
                "updated_at",
            ],
            organisation_rows,
        )

        # Sessions per offer: uneven (some offers have none, some many), adding up to `sessions`.
        popularity = [rng.lognormvariate(0, 1) for _ in range(offers)]
        per_offer = [0] * offers
        for index in rng.choices(range(offers), popularity, k=sessions):
            per_offer[index] += 1

        first_offer = _next_id(Offer)
        next_session = _next_id(Session)
        offer_columns = [
            "id",
            "organisation_id",
            "certification_id",
            "external_number",
            "title",
            "summary",
            "objectives",
            "prerequisites",
            "programme",
            "price",
            "hours",
            "modality",
            "is_active",
            "rating_average",
            "rating_count",
            "rating_details",
            "created_at",
            "updated_at",
            "search_changed_at",
        ]
        session_columns = [
            "id",
            "offer_id",
            "start_date",
            "end_date",
            "is_remote",
            "postal_code",
            "city",
            "insee_code",
            "latitude",
            "longitude",
            "seats",
            "is_active",
            "created_at",
        ]
        written_sessions = 0
        for batch_start in range(0, offers, batch_size):
            offer_rows = []
            session_rows = []
            for number in range(batch_start, min(offers, batch_start + batch_size)):
                offer_id = first_offer + number
                # Most offers come from an organisation of their field.
                organisation_id, field, language, town = organisation_info[rng.randrange(organisations)]
                if rng.random() < 0.25:
                    field, language = rng.choices(choices, weights)[0]
                title, certification = _title_and_certification(rng, field, language)
                price_low, price_high = field.price
                price = Decimal(round(rng.triangular(price_low, price_high, price_low + (price_high - price_low) / 4)))
                if rng.random() < 0.3:
                    price -= Decimal("0.01")
                hours_low, hours_high = field.hours
                hours = Decimal(round(rng.triangular(hours_low, hours_high, hours_low + (hours_high - hours_low) / 5)))
                draw = rng.random()
                modality = (
                    Modality.REMOTE
                    if draw < field.remote_share * 0.6
                    else Modality.MIXED
                    if draw < field.remote_share
                    else Modality.ON_SITE
                )
                rated = rng.random() < 0.55
                rating = Decimal(str(round(min(5.0, max(1.0, rng.gauss(4.3, 0.45))), 2))) if rated else None
                offer_rows.append(
                    (
                        offer_id,
                        organisation_id,
                        certification_ids[certification[:2]],
                        f"GEN-{offer_id}",
                        title,
                        _summary(rng, field, language),
                        _objectives(rng, field, title),
                        _prerequisites(rng, field),
                        _programme(rng, field, hours),
                        price,
                        hours,
                        modality,
                        True,
                        rating,
                        int(rng.lognormvariate(2.5, 1.2)) + 1 if rated else 0,
                        "{}",
                        now,
                        now,
                        changed_at,
                    )
                )
                for _ in range(per_offer[number]):
                    start = today + datetime.timedelta(days=rng.randrange(3, 366))
                    days = max(0, min(365, math.ceil(float(hours) / 7 * 1.4)))
                    end = start + datetime.timedelta(days=days)
                    remote = modality == Modality.REMOTE or (modality == Modality.MIXED and rng.random() < 0.5)
                    if remote:
                        place_values = (True, "", "", "", None, None)
                    else:
                        where = town if rng.random() < 0.7 else rng.choices(towns, town_weights)[0]
                        place_values = (
                            False,
                            where.postal_code,
                            where.name,
                            where.insee,
                            where.latitude,
                            where.longitude,
                        )
                    session_rows.append(
                        (
                            next_session,
                            offer_id,
                            start,
                            end,
                            *place_values,
                            rng.choice((None, 8, 10, 12, 15, 20)),
                            True,
                            now,
                        )
                    )
                    next_session += 1
            writer.write(Offer, offer_columns, offer_rows)
            writer.write(Session, session_columns, session_rows)
            written_sessions += len(session_rows)
            if progress:
                progress(min(offers, batch_start + batch_size), written_sessions)
        writer.reset_sequences([Certification, Organisation, Offer, Session])
    writer.analyze([Certification, Organisation, Offer, Session])
    return GenerationReport(
        organisations=organisations,
        certifications=len(new_certifications),
        offers=offers,
        sessions=written_sessions,
    )


def _certification_code(kind: str, title: str, rng: random.Random, used: set[str]) -> str:
    simple = {
        K.VAE: "VAE",
        K.SKILLS_ASSESSMENT: "BILAN-COMPETENCES",
        K.BUSINESS_CREATION: "CREATION-ENTREPRISE",
    }
    if kind in simple and simple[kind] not in used:
        code = simple[kind]
    elif kind == K.DRIVING_LICENCE:
        code = "PERMIS-" + {"B": "B", "C": "C", "CE": "CE", "D": "D"}.get(title.rsplit(" ", 1)[-1], "ETG")
        if code in used:
            code = f"{code}-{rng.randrange(100, 999)}"
    else:
        while True:
            code = f"RNCP{rng.randrange(34_000, 40_000)}" if kind == K.RNCP else f"RS{rng.randrange(5_000, 7_000)}"
            if code not in used:
                break
    used.add(code)
    return code


def _title_and_certification(rng: random.Random, field: Field, language: str | None):
    if language:
        template = rng.choice(LANGUAGE_TITLES)
        certification = rng.choice(field.certifications)
        title = template.format(lang=language, lang_lower=language.lower())
        if "certification" in title:
            title = title.replace("la certification", certification[1])
        return title, certification
    title = rng.choice(field.titles)
    matching = [c for c in field.certifications if _stem(c[1]) and _stem(c[1]) in _stem(title)]
    certification = matching[0] if matching else rng.choice(field.certifications)
    return title, certification


def _stem(text: str) -> str:
    return text.lower().split(" (")[0].split(" —")[0][:12]


def _summary(rng: random.Random, field: Field, language: str | None) -> str:
    subject = language.lower() if language else rng.choice(field.skills)
    sentences = rng.sample(SENTENCES, 3)
    return (
        f"Formation certifiante pour les {rng.choice(field.audience)} qui veulent progresser en {subject}. "
        + " ".join(sentences)
    )


def _objectives(rng: random.Random, field: Field, title: str) -> str:
    skills = rng.sample(field.skills, min(3, len(field.skills)))
    return "À l'issue de la formation, vous saurez :\n" + "\n".join(
        f"- maîtriser {skill} dans un contexte professionnel" for skill in skills
    )


def _prerequisites(rng: random.Random, field: Field) -> str:
    return rng.choice(
        (
            "Aucun prérequis.",
            "Savoir lire, écrire et compter.",
            "Entretien de motivation et test de positionnement.",
            "Niveau 3 (CAP) ou expérience professionnelle dans le domaine.",
            "Être à l'aise avec l'ordinateur et internet.",
        )
    )


def _programme(rng: random.Random, field: Field, hours: Decimal) -> str:
    modules = rng.sample(field.skills, min(len(field.skills), rng.randint(2, 4)))
    lines = [f"Module {number} — {module.capitalize()}" for number, module in enumerate(modules, 1)]
    lines.append(f"Évaluation finale ({max(1, int(hours) // 10)} h de pratique encadrée)")
    return "\n".join(lines)

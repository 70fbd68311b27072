"""Names and texts of the generated catalogue: organisations, certification codes, titles, descriptions."""

import random
from decimal import Decimal

from stdnum import luhn

from opencpf.catalogue.enums import CertificationKind
from opencpf.catalogue.generator.fields import LANGUAGE_TITLES, Field

K = CertificationKind

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


def make_siret(rng: random.Random, used: set[str]) -> str:
    while True:
        siren_body = f"{rng.randrange(10_000_000, 99_999_999):08d}"
        siren = siren_body + luhn.calc_check_digit(siren_body)
        body = siren + f"{rng.randrange(1, 9999):04d}"
        siret = body + luhn.calc_check_digit(body)
        if siret not in used:
            used.add(siret)
            return siret


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

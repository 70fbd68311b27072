"""Import of the open-data catalogue format (Caisse des Dépôts, "moncompteformation_catalogueformation").

Semicolon-separated CSV with a header line, UTF-8 (a BOM is allowed) or Windows-1252. Both published layouts are
read; `COLUMN_ALIASES` is the one place that maps the current layout's names to the older ones:
    older       siret, code_inventaire
    current     siret_of, code_rs, date_chargement, objectif_formation, contenu_formation,
                resultats_attendus_formation
Columns read (others are ignored):
    nom_of, siret|siret_of, numero_formation, intitule_formation            required
    points_forts, code_rncp, code_inventaire|code_rs, intitule_certification, libelle_niveau_sortie_formation,
    nombre_heures_total_min|max|mean, frais_ttc_tot_min|max|mean, nb_session_a_distance, nb_session_active,
    objectif_formation, contenu_formation, resultats_attendus_formation
Organisations are found by SIRET, certifications by code (RNCP… / RS…), offers by (SIRET, numero_formation):
existing ones are updated, the others created. Bad lines are skipped and reported with their line number.

The open data says nothing of an organisation's Qualiopi certificate nor of its approval: organisations created by
an import are pending (unless told otherwise), and their offers stay out of search until an agent approves them
(back office, Organisations, "Approve", with the Qualiopi certificate and its expiry). The report lists them.
"""

from opencpf.catalogue.importer.reading import REQUIRED_COLUMNS, ImportFileError, LineError, header_columns, parse_line
from opencpf.catalogue.importer.writing import import_catalogue

__all__ = [
    "ImportFileError",
    "LineError",
    "REQUIRED_COLUMNS",
    "header_columns",
    "import_catalogue",
    "parse_line",
]

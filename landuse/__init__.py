"""landuse — stock-land (存量土地) analysis with geopandas.

Find, measure and map land that is approved but not supplied (批而未供), supplied but idle
(供而未用 / 闲置土地) or used at low efficiency (低效用地), and track its disposal (处置).

>>> import landuse as lu
>>> sorted(lu.CATEGORIES)
['approved_unsupplied', 'low_efficiency', 'supplied_unused']
"""

from landuse import coords, datasets
from landuse._crs import CRSGuessWarning
from landuse._errors import (
    DateOrderError,
    DisposalMethodError,
    DuplicateIdError,
    GeometryError,
    InputError,
    MissingColumnError,
    MissingCRSError,
    SourceError,
    UnknownCategoryError,
    ZoneError,
)
from landuse._fields import CN_ENTERPRISE_LEDGER, CN_LEDGER, FieldPreset
from landuse._tables import display_rates
from landuse._validate import UndatedDisposalWarning
from landuse.admission import AdmissionRules, admission
from landuse.areas import area_crs
from landuse.backends import (
    add_areas,
    assign_zones,
    classify,
    disposal_rates,
    read_parcels,
    read_zones,
    write_parcels,
)
from landuse.enterprises import (
    DEFAULT_GRADE_SHARES,
    DEFAULT_WEIGHTS,
    UnmatchedParcelWarning,
    per_mu,
    per_mu_by,
    read_enterprises,
)
from landuse.idle import idle_actions
from landuse.io import EncodingWarning, read_raw
from landuse.ledger import join_ledger, read_ledger
from landuse.maps import parcel_map
from landuse.plots import plot_parcels, plot_progress, plot_rates, plot_renewal
from landuse.quality import check
from landuse.renewal import renewal_progress
from landuse.report import report
from landuse.rules import IdleRules, LowEfficiencyRules, RuleWarning
from landuse.sheets import survey_sheets
from landuse.stats import progress
from landuse.survey import (
    SurveyError,
    apply_survey,
    read_survey,
    survey_progress,
    work_packages,
)
from landuse.vocab import CATEGORIES, DISPOSAL_METHODS, M2_PER_MU, category_label, grade_label

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES",
    "CN_ENTERPRISE_LEDGER",
    "CN_LEDGER",
    "DEFAULT_GRADE_SHARES",
    "DEFAULT_WEIGHTS",
    "DISPOSAL_METHODS",
    "M2_PER_MU",
    "AdmissionRules",
    "CRSGuessWarning",
    "DateOrderError",
    "DisposalMethodError",
    "DuplicateIdError",
    "EncodingWarning",
    "FieldPreset",
    "GeometryError",
    "IdleRules",
    "InputError",
    "LowEfficiencyRules",
    "MissingCRSError",
    "MissingColumnError",
    "RuleWarning",
    "SourceError",
    "SurveyError",
    "UndatedDisposalWarning",
    "UnknownCategoryError",
    "UnmatchedParcelWarning",
    "ZoneError",
    "__version__",
    "add_areas",
    "admission",
    "apply_survey",
    "area_crs",
    "assign_zones",
    "category_label",
    "check",
    "classify",
    "coords",
    "datasets",
    "display_rates",
    "disposal_rates",
    "grade_label",
    "idle_actions",
    "join_ledger",
    "parcel_map",
    "per_mu",
    "per_mu_by",
    "plot_parcels",
    "plot_progress",
    "plot_rates",
    "plot_renewal",
    "progress",
    "read_enterprises",
    "read_ledger",
    "read_parcels",
    "read_raw",
    "read_survey",
    "read_zones",
    "renewal_progress",
    "report",
    "survey_progress",
    "survey_sheets",
    "work_packages",
    "write_parcels",
]

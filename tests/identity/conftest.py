import pytest

from tests.scams.conftest import ELF, PDF, PNG, stored_files, upload  # noqa: F401


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR

from __future__ import annotations

from pathlib import Path

import pytest

from microcomm.config import Config, load_config
from microcomm.errors import ConfigError

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def test_default_yaml_is_the_built_in_default() -> None:
    assert load_config(CONFIGS / "default.yaml", environ={}) == Config()


@pytest.mark.parametrize("path", sorted(CONFIGS.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_yaml_loads(path: Path) -> None:
    if path.parent.name == "mappings":
        from microcomm.ingest import load_mapping

        assert load_mapping(path)["name"]
    else:
        load_config(path, environ={})


def test_unknown_key_is_rejected_with_its_name(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("detect:\n  resolutoin: 2\n")
    with pytest.raises(ConfigError, match=r"unknown key detect\.resolutoin"):
        load_config(p, environ={})


def test_out_of_range_value_names_key(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("graph:\n  pair_contexts: -3\n")
    with pytest.raises(ConfigError, match=r"graph\.pair_contexts = -3 is out of range"):
        load_config(p, environ={})


def test_wrong_type_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("detect:\n  seed: lots\n")
    with pytest.raises(ConfigError, match="must be a whole number"):
        load_config(p, environ={})


def test_precedence_flag_over_env_over_file_over_default(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("detect:\n  resolution: 2.0\n  seed: 5\n")
    from_file = load_config(p, environ={})
    assert (from_file.detect.resolution, from_file.detect.seed) == (2.0, 5)
    env = load_config(p, environ={"MICROCOMM_DETECT_RESOLUTION": "3.5"})
    assert (env.detect.resolution, env.detect.seed) == (3.5, 5)
    flag = env.override("detect", resolution=0.5, seed=None)
    assert (flag.detect.resolution, flag.detect.seed) == (0.5, 5)
    assert Config().detect.resolution == 0.0  # 0: the size rule


def test_missing_config_file() -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config("nope.yaml", environ={})

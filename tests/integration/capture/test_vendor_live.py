"""scripts/vendor_live.py, which installs the live page's runtime and models: its checks and
its bundles, without the network (the download itself runs in ``make setup``)."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "vendor_live.py"


@pytest.fixture(scope="module")
def vendor() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_live", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vendor_live"] = module
    spec.loader.exec_module(module)
    return module


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_integrity_is_checked(vendor: ModuleType) -> None:
    data = b"a tarball"
    vendor.check_integrity(data, _sri(data), "pkg")
    with pytest.raises(vendor.VendorError, match="integrity mismatch"):
        vendor.check_integrity(data + b"!", _sri(data), "pkg")
    with pytest.raises(vendor.VendorError, match="unsupported"):
        vendor.check_integrity(data, "sha1-abc", "pkg")


def test_only_the_named_files_are_taken_from_a_tarball(vendor: ModuleType) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, body in (("package/a.js", b"a"), ("package/b.wasm", b"b"), ("../evil", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    found = vendor.members(buffer.getvalue(), ["package/b.wasm"])
    assert found == {"package/b.wasm": b"b"}
    with pytest.raises(vendor.VendorError, match="not in the package"):
        vendor.members(buffer.getvalue(), ["package/missing.js"])


def test_bundles_are_deterministic_aligned_zips(vendor: ModuleType) -> None:
    pytest.importorskip("mediapipe", reason="the MediaPipe wheel writes the bundles")
    one = vendor.task_bundle(b"detector" * 3, b"landmarks" * 5)
    assert one == vendor.task_bundle(b"detector" * 3, b"landmarks" * 5)
    with zipfile.ZipFile(io.BytesIO(one)) as bundle:
        infos = bundle.infolist()
        assert [i.filename for i in infos] == [
            "pose_detector.tflite",
            "pose_landmarks_detector.tflite",
        ]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        assert bundle.read("pose_detector.tflite") == b"detector" * 3


def test_the_wheels_models_get_input_metadata(vendor: ModuleType) -> None:
    pytest.importorskip("mediapipe", reason="the MediaPipe wheel holds the models")
    from mediapipe.tasks.python.metadata import metadata

    raw = vendor.wheel_model(*vendor.WHEEL_FULL)
    with_metadata = vendor.with_image_metadata(raw, vendor.LANDMARKS_NORM, "landmarks")
    shown = json.loads(
        metadata.MetadataDisplayer.with_model_buffer(with_metadata).get_metadata_json()
    )
    (image,) = shown["subgraph_metadata"][0]["input_tensor_metadata"]
    (unit,) = image["process_units"]
    assert unit["options_type"] == "NormalizationOptions"
    assert unit["options"] == {"mean": [0.0], "std": [255.0]}  # the model takes 0..1


def test_installed_files_match_the_manifest(vendor: ModuleType, tmp_path: Path) -> None:
    if not vendor.MANIFEST.is_file():
        pytest.skip("the live runtime is not installed (make setup)")
    assert vendor.up_to_date()
    manifest = json.loads(vendor.MANIFEST.read_text())
    assert manifest["tasks_vision"] == vendor.TASKS_VISION.version
    assert "full" in manifest["models"]
    assert set(manifest["files"]) >= {
        "tasks-vision/vision_bundle.mjs",
        "tasks-vision/wasm/vision_wasm_internal.wasm",
        "models/pose_landmarker_full.task",
    }


def test_a_changed_file_or_pin_means_a_reinstall(
    vendor: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "m.task"
    model.write_bytes(b"model")
    manifest = {
        "pins": vendor.PINS,
        "files": {"models/m.task": {"bytes": 5, "sha256": hashlib.sha256(b"model").hexdigest()}},
    }
    monkeypatch.setattr(vendor, "VENDOR", tmp_path)
    monkeypatch.setattr(vendor, "MANIFEST", tmp_path / "manifest.json")
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert vendor.up_to_date()
    model.write_bytes(b"mode!")  # same size, other bytes
    assert not vendor.up_to_date()
    model.write_bytes(b"model")
    monkeypatch.setattr(vendor, "PINS", {**vendor.PINS, "tasks-vision": "9.9.9"})
    assert not vendor.up_to_date()

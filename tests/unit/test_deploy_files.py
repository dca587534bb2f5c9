"""The deploy files: docker-compose.yml runs every piece with secrets from the environment, and
the dependency locks match pyproject.toml.

The compose file is checked without Docker, against the Compose specification's JSON schema
vendored in tests/support/compose-spec.json. That file is `compose/config/compose_spec.json`
from the docker-compose 1.29.2 wheel on PyPI (Apache License 2.0, Docker, Inc.), unchanged;
the network here reaches only package registries and no package ships a newer copy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from backend.config import Settings
from backend.tasks.kinds import QUEUES
from tests.support import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
COMPOSE_SCHEMA = REPO_ROOT / "tests" / "support" / "compose-spec.json"
SECRETS = {"POSTGRES_PASSWORD": "x", "JWT_SECRET_KEY": "y", "FLOWER_BASIC_AUTH": "admin:z"}

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $NAME and $$; a
# default or an error may hold variables itself (${NAME:-${OTHER}}), as Compose v2 allows.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATOR = re.compile(r":?[-?]")


class MissingVariable(Exception):
    """A `${NAME:?message}` whose variable is not set."""


def _substitute(text: str, env: Mapping[str, str]) -> str:
    """``text`` with its variables replaced; a default is read only when it is used."""
    out, i = [], 0
    while i < len(text):
        if text[i] != "$":
            out.append(text[i])
            i += 1
            continue
        if text.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        if not text.startswith("${", i):
            bare = _NAME.match(text, i + 1)
            if bare is None:
                out.append("$")
                i += 1
                continue
            out.append(env.get(bare[0], ""))
            i = bare.end()
            continue
        name = _NAME.match(text, i + 2)
        assert name is not None, f"not a variable: {text[i:]}"
        # The closing brace of this expression, past any nested ${...}.
        depth, j = 1, name.end()
        while depth:
            assert j < len(text), f"unclosed: {text[i:]}"
            if text.startswith("${", j):
                depth, j = depth + 1, j + 2
                continue
            if text[j] == "}":
                depth -= 1
            j += 1
        inner = text[name.end():j - 1]
        op = _OPERATOR.match(inner)
        assert op is not None or not inner, f"unsupported: {text[i:j]}"
        arg = inner[op.end():] if op else ""
        value = env.get(name[0])
        unset = value is None or (op is not None and op[0].startswith(":") and not value)
        if op and op[0].endswith("?") and unset:
            raise MissingVariable(f"{name[0]}: {_substitute(arg, env)}")
        if op and op[0].endswith("-") and unset:
            out.append(_substitute(arg, env))
        else:
            out.append(value or "")
        i = j
    return "".join(out)


def interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """``value`` with variables replaced the way `docker compose` does before validating."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value
    return _substitute(value, env)


def compose(env: Mapping[str, str] = SECRETS) -> dict[str, Any]:
    """docker-compose.yml as `docker compose config` sees it, with ``env`` as the environment."""
    document = interpolate(yaml.safe_load(COMPOSE.read_text()), env)
    assert isinstance(document, dict)
    return document


def services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def schema_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    validator = Draft201909Validator(schema)
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def test_compose_file_follows_the_compose_specification():
    assert schema_errors(compose()) == []


@pytest.mark.parametrize(
    ("mistake", "where"),
    [
        (lambda doc: doc["services"]["api"].update(depends_on_typo=["redis"]), "$.services.api"),
        (lambda doc: doc["services"]["redis"]["healthcheck"].update(retries="ten"),
         "$.services.redis.healthcheck.retries"),
        (lambda doc: doc["services"]["api"].update(ports="8000:8000"), "$.services.api.ports"),
    ],
    ids=["unknown-key", "wrong-type", "list-expected"],
)
def test_the_schema_check_catches_mistakes(mistake, where):
    document = compose()
    mistake(document)
    errors = schema_errors(document)
    assert errors and errors[0].startswith(where), errors


def test_compose_runs_the_whole_platform():
    assert {"postgres", "redis", "migrate", "api", "beat", "flower"} <= set(services())


def test_every_service_has_an_image_or_a_build():
    for name, service in services().items():
        assert "image" in service or "build" in service, name


def test_dependencies_exist_and_their_conditions_can_be_met():
    all_services = services()
    for name, service in all_services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in all_services, f"{name} depends on unknown service {dependency}"
            wanted = condition.get("condition", "service_started")
            if wanted == "service_healthy":
                assert "healthcheck" in all_services[dependency], (
                    f"{name} waits for {dependency} to be healthy, but it has no healthcheck"
                )
            if wanted == "service_completed_successfully":
                assert all_services[dependency].get("restart") == "no", (
                    f"{name} waits for {dependency} to finish, but it is restarted"
                )


def test_compose_has_one_worker_per_queue():
    queues = []
    for service in services().values():
        command = service.get("command", [])
        if "worker" in command:
            queues.extend(command[command.index("-Q") + 1].split(","))
    assert sorted(queues) == sorted(QUEUES)


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_compose_refuses_to_start_without_each_secret(secret):
    env = {name: value for name, value in SECRETS.items() if name != secret}
    with pytest.raises(MissingVariable, match=secret):
        compose(env)


def _seconds(duration: str) -> float:
    """A Compose duration ("75s", "1m30s", "500ms") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    assert "".join(number + unit for number, unit in parts) == duration, duration
    return sum(float(number) * units[unit] for number, unit in parts)


def test_workers_hand_unfinished_tasks_back_before_docker_kills_them():
    workers = {name: s for name, s in services().items() if "worker" in s.get("command", [])}
    assert workers
    for name, worker in workers.items():
        environment = worker["environment"]
        assert environment["REMAP_SIGTERM"] == "SIGQUIT", name
        grace = float(environment["WORKER_SHUTDOWN_GRACE_SECONDS"])
        assert _seconds(worker["stop_grace_period"]) >= grace + 10, (
            f"{name}: Docker's SIGKILL must come well after the {grace:.0f} s soft shutdown"
        )


def test_the_interpolation_reads_nested_defaults_as_compose_does():
    template = "${A:-x-${B:?need B}-y}/${C-}$$D"
    assert interpolate(template, {"A": "a"}) == "a/$D"
    assert interpolate(template, {"A": "", "B": "b", "C": "c"}) == "x-b-y/c$D"
    with pytest.raises(MissingVariable, match="B: need B"):
        interpolate(template, {})


# Settings the compose file sets itself, or gives only to the containers that use them.
FIXED_IN_COMPOSE = {"STORAGE_DIR": "/data/storage"}  # the shared volume's mount point
ONLY_FOR = {"WORKER_SHUTDOWN_GRACE_SECONDS": "worker", "FLOWER_BASIC_AUTH": "flower"}


def test_every_setting_reaches_every_app_container_from_the_environment():
    """README.md: every setting reaches the containers from the environment or .env; an
    operator's DATABASE_URL or REDIS_URL (external servers) is not replaced by the bundled ones."""
    for setting in sorted(name.upper() for name in Settings.model_fields):
        value = f"operator-{setting.lower()}"
        platform = {name: service for name, service in
                    compose({**SECRETS, setting: value})["services"].items() if "build" in service}
        assert platform
        for name, service in platform.items():
            environment = service["environment"]
            if setting in FIXED_IN_COMPOSE:
                assert environment[setting] == FIXED_IN_COMPOSE[setting], (name, setting)
            elif setting in ONLY_FOR and ONLY_FOR[setting] not in service["command"]:
                assert setting not in environment, (name, setting)
            else:
                assert environment.get(setting) == value, f"{name} does not get {setting}"


def test_unset_the_bundled_servers_are_used():
    environment = services()["api"]["environment"]
    assert environment["DATABASE_URL"] == "postgresql://ledgerflow:x@postgres:5432/ledgerflow"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"


def test_flower_is_published_on_loopback_by_default():
    assert services()["flower"]["ports"] == ["127.0.0.1:5555:5555"]
    with_host = compose({**SECRETS, "FLOWER_HOST": "0.0.0.0"})  # noqa: S104 (the opt-in)
    assert with_host["services"]["flower"]["ports"] == ["0.0.0.0:5555:5555"]


def _locked_versions(lock_name: str) -> dict[str, str]:
    text = (REPO_ROOT / lock_name).read_text()
    pins = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, flags=re.MULTILINE)
    return {canonicalize_name(name): version for name, version in pins}


def _declared(group: str | None) -> list[Requirement]:
    import tomllib

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize(
    ("lock_name", "groups"),
    [("requirements.txt", [None]), ("requirements-dev.txt", [None, "dev"])],
)
def test_the_locks_pin_every_declared_dependency_with_hashes(lock_name, groups):
    locked = _locked_versions(lock_name)
    for group in groups:
        for requirement in _declared(group):
            name = canonicalize_name(requirement.name)
            assert name in locked, f"{name} is missing from {lock_name}: run `make lock`"
            assert requirement.specifier.contains(locked[name], prereleases=True), (
                f"{lock_name} pins {name}=={locked[name]}, outside {requirement}: run `make lock`"
            )
    text = (REPO_ROOT / lock_name).read_text()
    unhashed = re.findall(r"^(\S+==\S+)(?! \\)$", text, flags=re.MULTILINE)
    assert not unhashed, f"pins without hashes in {lock_name}: {unhashed}"


def test_make_up_runs_a_worker_on_every_queue():
    from deploy.run_stack import ALL_QUEUES

    assert sorted(ALL_QUEUES.split(",")) == sorted(QUEUES)


# ------------------------------------------------------------------ health checks (issue 10)


def test_every_service_has_a_health_check():
    for name, service in services().items():
        check = service.get("healthcheck")
        assert check, f"{name} has no healthcheck"
        if check.get("disable"):
            assert service.get("restart") == "no", f"{name}: only a one-shot job may go unchecked"
            continue
        assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) > 1, name
        if "timeout" in check:
            assert _seconds(check["timeout"]) <= _seconds(check.get("interval", "30s")), name


def _dockerfile_instruction(name: str) -> str:
    """The Dockerfile's ``name`` instruction, its continuation lines joined."""
    text = (REPO_ROOT / "deploy" / "Dockerfile").read_text().replace("\\\n", " ")
    found = re.findall(rf"^{name} (.*)$", text, flags=re.MULTILINE)
    assert len(found) == 1, found
    return found[0]


def test_the_image_checks_the_api_as_compose_does():
    options, command = _dockerfile_instruction("HEALTHCHECK").split(" CMD ")
    assert "--interval=" in options and "--timeout=" in options
    assert json.loads(command) == services()["api"]["healthcheck"]["test"][1:]


def _health_command(service: str) -> list[str]:
    test = services()[service]["healthcheck"]["test"]
    assert test[0] == "CMD" and test[1:3] == ["python", "deploy/healthcheck.py"], test
    assert (REPO_ROOT / test[2]).is_file()
    return test[3:]


def test_the_api_and_flower_checks_ask_real_endpoints():
    from flower.urls import handlers

    kind, url = _health_command("api")
    assert kind == "http" and url == "http://127.0.0.1:8000/health"
    api_port = services()["api"]["command"][services()["api"]["command"].index("--port") + 1]
    assert api_port == "8000"
    kind, url = _health_command("flower")
    assert kind == "http" and url == "http://127.0.0.1:5555/healthcheck"
    assert "--port=5555" in services()["flower"]["command"]
    routes = [getattr(handler, "regex", None) or re.compile(handler[0]) for handler in handlers]
    assert any(route.fullmatch("/healthcheck") for route in routes)


def test_the_beat_check_watches_the_schedule_file_beat_writes():
    beat = services()["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    kind, pattern, max_age = _health_command("beat")
    assert kind == "fresh" and pattern == schedule + "*"
    # Beat rewrites the file every 3 minutes (Celery's sync_every) while it sends the reaper.
    from celery.beat import Scheduler

    from backend.config import Settings as LedgerflowSettings

    assert float(max_age) > Scheduler.sync_every + LedgerflowSettings().reaper_interval_seconds


def test_each_worker_is_pinged_under_its_own_node_name():
    workers = {name: s for name, s in services().items() if "worker" in s.get("command", [])}
    assert workers
    for name, worker in workers.items():
        node = worker["command"][worker["command"].index("-n") + 1]
        kind, shell = worker["healthcheck"]["test"]
        assert kind == "CMD-SHELL", name
        # $$HOSTNAME in the file is $HOSTNAME for the shell: the name %h gives the node.
        assert f"inspect ping -d {node.replace('%h', '$HOSTNAME')} " in shell + " ", (name, shell)


def test_flower_is_persistent_with_its_database_in_a_volume():
    flower = services()["flower"]
    command = flower["command"]
    assert "--persistent=True" in command
    database = next(arg.split("=", 1)[1] for arg in command if arg.startswith("--db="))
    mounts = dict(volume.split(":")[::-1] for volume in flower["volumes"])
    folder = database.rsplit("/", 1)[0]
    assert folder in mounts and mounts[folder] in compose()["volumes"]
    assert folder in _dockerfile_instruction("RUN useradd")  # the image makes it ledgerflow's


def test_make_flower_and_make_up_run_flower_persistent_on_loopback(monkeypatch):
    recipe = re.search(r"^flower:.*?\n((?:\t.*\n)+)", (REPO_ROOT / "Makefile").read_text(),
                       flags=re.MULTILINE)
    assert recipe
    # One command line for both: make flower is the supervisor's Flower, alone.
    assert recipe[1].strip() == "$(PY) deploy/run_stack.py flower"
    from deploy import run_stack

    flower = next(child for child in run_stack.children() if child.name == "flower")
    assert flower.command == run_stack.flower_command()
    assert f"--address={run_stack.FLOWER_HOST}" in flower.command
    assert f"--port={run_stack.FLOWER_PORT}" in flower.command
    assert "--persistent=True" in flower.command
    assert f"--db={run_stack.VAR_DIR / 'flower.db'}" in flower.command
    if "FLOWER_HOST" not in __import__("os").environ:
        assert run_stack.FLOWER_HOST == "127.0.0.1"


def test_make_up_reads_worker_args_from_the_env_file_too(monkeypatch, tmp_path):
    """README.md: the variables are read from the environment, then from .env."""
    from deploy import run_stack

    def worker_command() -> list[str]:
        return next(child for child in run_stack.children() if child.name == "worker").command

    monkeypatch.setattr(run_stack, "REPO_ROOT", tmp_path)
    monkeypatch.delenv("WORKER_ARGS", raising=False)
    (tmp_path / ".env").write_text("WORKER_ARGS=--concurrency 3 -n pdf@%h\n")
    assert worker_command()[-4:] == ["--concurrency", "3", "-n", "pdf@%h"]
    monkeypatch.setenv("WORKER_ARGS", "--concurrency 5")  # the environment comes first
    assert worker_command()[-2:] == ["--concurrency", "5"]


def test_the_rabbitmq_profile_adds_a_healthy_broker_and_changes_nothing_else():
    all_services = services()
    rabbitmq = all_services["rabbitmq"]
    assert rabbitmq["profiles"] == ["rabbitmq"]
    assert rabbitmq["healthcheck"]["test"][:2] == ["CMD", "rabbitmq-diagnostics"]
    assert any(volume.startswith("rabbitmqdata:") for volume in rabbitmq["volumes"])
    # `docker compose up` without the profile starts what it always did.
    assert [name for name, service in all_services.items() if "profiles" in service] == ["rabbitmq"]
    with_password = compose({**SECRETS, "RABBITMQ_PASSWORD": "s3cret"})["services"]["rabbitmq"]
    assert with_password["environment"]["RABBITMQ_DEFAULT_PASS"] == "s3cret"
    # Tasks acknowledge when they end: RabbitMQ must wait longer than the hard time limit.
    erl_args = rabbitmq["environment"]["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"].split()
    timeout_ms = int(erl_args[erl_args.index("consumer_timeout") + 1])
    assert timeout_ms > Settings().task_time_limit * 1000


def test_every_platform_process_takes_its_broker_from_the_environment():
    url = "amqp://ledgerflow:s3cret@rabbitmq:5672/"
    platform = {
        name: service
        for name, service in compose({**SECRETS, "CELERY_BROKER_URL": url})["services"].items()
        if "build" in service
    }
    workers = {name for name, service in platform.items() if "worker" in service.get("command", [])}
    assert {"api", "beat", "flower"} | workers <= set(platform) and workers
    for name, service in platform.items():
        assert service["environment"]["CELERY_BROKER_URL"] == url, name
    # Unset, it is empty, which the settings read as "Redis is the broker too".
    for name, service in services().items():
        if "build" in service:
            assert service["environment"]["CELERY_BROKER_URL"] == "", name
    redis_only = Settings(celery_broker_url="", redis_url="redis://redis:6379/0")
    assert redis_only.broker_url == "redis://redis:6379/0" and not redis_only.broker_is_amqp
    assert Settings(celery_broker_url=url).broker_is_amqp


# ------------------------------------------------------------------ the image and its inputs


def _dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps ``path`` (relative to the build context) out of the
    image: Docker's rules, the last matching pattern wins and ``!`` takes back, a pattern
    matching a folder excludes everything under it."""
    from fnmatch import fnmatchcase

    ignored = False
    for line in (REPO_ROOT / ".dockerignore").read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        matches = any(
            fnmatchcase(prefix, pattern)
            or (pattern.startswith("**/") and fnmatchcase(prefix.rsplit("/", 1)[-1], pattern[3:]))
            for prefix in prefixes
        )
        if matches:
            ignored = not negated
    return ignored


@pytest.mark.parametrize(
    "path", [".env", ".env.production", "var/jwt_secret", "var/flower_auth", ".git/config",
             ".venv/bin/python", "backend/__pycache__/config.cpython-311.pyc"],
)
def test_secrets_and_local_state_stay_out_of_the_image(path):
    assert _dockerignored(path), f"{path} would be copied into the image"


@pytest.mark.parametrize("path", ["backend/config.py", "deploy/healthcheck.py", "requirements.txt"])
def test_the_code_goes_into_the_image(path):
    assert not _dockerignored(path)


def test_the_image_user_can_write_where_the_platform_writes():
    from backend.api.metrics import MULTIPROC_ENV
    from backend.config import VAR_DIR

    workdir = _dockerfile_instruction("WORKDIR").strip()
    assert _dockerfile_instruction("USER").strip() == "ledgerflow"
    # The code is root's (not writable by the process); var/ is made the user's own.
    text = (REPO_ROOT / "deploy" / "Dockerfile").read_text().replace("\\\n", " ")
    made_own = [
        line for line in re.findall(r"^RUN (.*)$", text, flags=re.MULTILINE)
        if "chown ledgerflow:ledgerflow" in line
    ]
    var_in_image = f"{workdir}/{VAR_DIR.relative_to(REPO_ROOT)}"
    assert any(re.search(rf"mkdir -p( -m 700)? {re.escape(var_in_image)}\b", line)
               and var_in_image in line.split("chown", 1)[1] for line in made_own), made_own
    # What the platform writes without a setting lands there: the metrics, beat's schedule.
    assert MULTIPROC_ENV not in services()["api"]["environment"]
    from backend.tasks.app import celery_config

    assert Path(celery_config(Settings())["beat_schedule_filename"]).parent == VAR_DIR
    assert not re.search(r"^COPY --chown", text, flags=re.MULTILINE), "the code must stay root's"


def test_the_api_is_published_on_loopback_by_default():
    assert services()["api"]["ports"] == ["127.0.0.1:8000:8000"]
    opened = compose({**SECRETS, "API_HOST": "0.0.0.0"})  # noqa: S104 (the opt-in)
    assert opened["services"]["api"]["ports"] == ["0.0.0.0:8000:8000"]


# Settings a service sets itself rather than passing through: Flower's password (Flower
# only) and the workers' shutdown grace (the workers, tied to their stop_grace_period).
SET_PER_SERVICE = {"FLOWER_BASIC_AUTH": "flower", "WORKER_SHUTDOWN_GRACE_SECONDS": "worker"}


def test_every_setting_reaches_every_platform_process():
    from backend.config import setting_names

    given = {name: f"value-of-{name}" for name in setting_names() - {"FLOWER_BASIC_AUTH"}}
    platform = {name: service for name, service in compose({**SECRETS, **given})["services"].items()
                if "build" in service}
    for name, service in platform.items():
        environment = service["environment"]
        wanted = {setting for setting, owner in SET_PER_SERVICE.items() if owner in name}
        missing = setting_names() - set(environment) - (set(SET_PER_SERVICE) - wanted)
        assert not missing, f"{name} does not get {sorted(missing)}"
        for setting in ("METRICS_TOKEN", "HEALTH_TOKEN", "LOG_FORMAT", "MAX_UPLOAD_MB"):
            assert environment[setting] == given[setting], (name, setting)


def test_a_setting_compose_passes_unset_keeps_its_default(monkeypatch):
    environment = services()["worker-default"]["environment"]
    for name, value in environment.items():
        monkeypatch.setenv(name, str(value))
    passed = Settings(_env_file=None)
    defaults = Settings.model_construct()  # the declared defaults, no environment read
    for name in Settings.model_fields:
        if environment.get(name.upper()) == "":
            assert getattr(passed, name) == getattr(defaults, name), name

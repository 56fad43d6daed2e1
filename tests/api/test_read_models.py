"""The API answers with the queries' own read models: one frozen class is both the query's answer and
the API's schema, so the two cannot drift apart, and no caller can change a shared answer in place."""

import dataclasses
from dataclasses import asdict, fields

import pytest
from django.test import Client

from ayllu.queries.assembly import (
    AssemblyListed,
    AssemblySummary,
    QuestionRead,
    get_assembly,
    list_assemblies,
)
from factories.stored import found_with_officers

READ_MODELS = [
    ("/api/assemblies", "get", AssemblyListed),
    ("/api/assemblies/{log}", "get", AssemblySummary),
    ("/api/assemblies/{log}/questions", "get", QuestionRead),
    ("/api/assemblies/{log}/questions/{question}", "get", QuestionRead),
]


@pytest.mark.parametrize(("path", "method", "model"), READ_MODELS)
def test_the_api_describes_its_answer_with_the_querys_class(
    db: None, client: Client, path: str, method: str, model: type
) -> None:
    # when the API describes the answer
    spec = client.get("/api/openapi.json").json()
    answer = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    # then it is the query's class, field by field
    assert answer.get("items", answer) == {"$ref": f"#/components/schemas/{model.__name__}"}
    described = spec["components"]["schemas"][model.__name__]["properties"]
    assert list(described) == [f.name for f in fields(model)]


def test_the_api_answers_what_the_query_answers_and_the_answer_is_frozen(db: None, client: Client) -> None:
    # given an assembly
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    # when the API and the query answer
    summary = get_assembly(assembly.log)
    listed = list_assemblies()
    # then the API's JSON is the query's answer, and nobody can change the shared answer
    assert client.get(f"/api/assemblies/{assembly.log}").json() == {
        **asdict(summary),
        "open_meetings": list(summary.open_meetings),
    }
    assert client.get("/api/assemblies").json() == [asdict(a) for a in listed]
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.name = "otra"  # type: ignore[misc]

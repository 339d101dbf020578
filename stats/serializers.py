"""Answers as JSON: the API's body, and the data the statistics page's chart reads."""

from stats.trees import diameter_label


def answer_json(answer, permalink: str = "") -> dict:
    return {
        "columns": answer.columns,
        "group": answer.question.group,
        "compare": answer.question.compare,
        "rows": [_row(row) for row in answer.rows],
        "totals": answer.totals,
        "total_change": answer.total_change.change,
        "total_relative_change": answer.total_change.relative,
        "permalink": permalink,
    }


def _row(row) -> dict:
    return {
        "layer": row.layer,
        "layer_name": row.layer_name,
        "key": row.key,
        "label": row.label,
        "values": row.values,
        "change": row.change,
        "relative_change": row.relative,
    }


def trees_json(rows, kind_labels: dict) -> list[dict]:
    return [
        {
            "kind": row.kind,
            "kind_label": str(kind_labels.get(row.kind, row.kind)),
            "species": row.species,
            "diameter_class": row.diameter_class,
            "diameter": diameter_label(row.diameter_class),
            "trees": row.trees,
        }
        for row in rows
    ]

"""How long the checks against the source take on long articles (rules only, no model).

A French article and its English translation, written for this benchmark, repeated to the
sizes asked for; each size is checked with and without the source, best of ``--repeat`` runs.

    python bench/source_speed.py [--sizes 10,50,200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from mtcheck.api import check_document, default_resources
from mtcheck.config import Config

SOURCE = (
    "L'usine de Montbard, qui emploie 420 salariés, va fermer en 2025. "
    "La direction a annoncé la nouvelle lundi matin lors d'un comité social et économique. "
    "Selon les syndicats, aucune solution de reprise n'a été sérieusement étudiée depuis 2019. "
    "Le préfet Jean Rastel a promis de recevoir une délégation avant la fin de la semaine. "
    "Le chômage dans la région a atteint 6,1 % au premier trimestre. "
    "Une nouvelle réunion est prévue le 3 décembre à 14h30. "
)
TARGET = (
    "The Montbard factory, which employs 420 people, will close in 2025. "
    "The management announced the news on Monday morning at a works council meeting. "
    "According to the unions, no takeover plan has been seriously considered since 2019. "
    "Prefect Jean Rastel promised to receive a delegation before the end of the week. "
    "Unemployment in the region reached 6.1% in the first quarter. "
    "A new meeting is scheduled for 3 December at 2.30 pm. "
)


def best_of(repeat: int, fn: object) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,50,200", help="copies of the six-sentence article")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    resources = default_resources()
    config = Config(lm=False)
    check_document(TARGET, lang="en", source=SOURCE, src_lang="fr", config=config, resources=resources)  # warm
    print("| copies | words | source sentences | with the source | without | MT9xx findings |")
    print("|---|---|---|---|---|---|")
    for n in (int(x) for x in args.sizes.split(",")):
        source, target = SOURCE * n, TARGET * n
        with_src = best_of(
            args.repeat,
            lambda s=source, t=target: check_document(
                t, lang="en", source=s, src_lang="fr", config=config, resources=resources
            ),
        )
        without = best_of(
            args.repeat, lambda t=target: check_document(t, lang="en", config=config, resources=resources)
        )
        found = check_document(target, lang="en", source=source, src_lang="fr", config=config, resources=resources)
        mt9 = sum(1 for f in found.findings if f.code.startswith("MT9"))
        print(f"| {n} | {len(target.split()):,} | {6 * n:,} | {with_src:.2f} s | {without:.2f} s | {mt9} |")


if __name__ == "__main__":
    main()

"""Where a negation or uncertainty stops: the fix for ConText's "and" leak.

medspaCy's ConText lets a forward trigger ("no", "not") run to the end of the
sentence, so in "no fever and no chills, my legs are weak" the weakness would be
negated. ConText calls ``allows_modification`` (an ``on_modifies`` callback) for
every trigger/target pair; it refuses the pair when a clause boundary lies between:

* a negation may cross "and" or a comma only into a plain list of findings
  ("no fever, chills or sweats"): after the last joiner only list glue ("no", "or",
  "any" …) and other findings may stand before the target;
* a target that is itself a clause ("my legs are weak") is never a list item, so a
  negation never crosses a joiner into it;
* a backward trigger ("…, I think") crosses nothing but the comma right before it;
* within one clause, a forward negation reaches a clause-like target only across
  "clause glue" ("not my legs" yes; "without any warning my legs went weak" no);
* "without" after an earlier negation in the sentence is a double negative ("I can't
  walk far without my legs going numb"): the finding is present.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span

from spinecare.adapters.intake.lexicon import ScopeGrammar

SPAN_GROUP = "medspacy_spans"


def _covered_by_targets(span_between: Span) -> set[int]:
    doc = span_between.doc
    covered: set[int] = set()
    for target in doc.spans.get(SPAN_GROUP, []):
        if target.end <= span_between.start or target.start >= span_between.end:
            continue
        covered.update(range(max(target.start, span_between.start),
                             min(target.end, span_between.end)))
    return covered


_NEGATORS = {"n't", "not", "never", "cannot", "unable", "nt"}


def _negated_before(modifier: Span) -> bool:
    """A negation earlier in the sentence turns "without" into "with" (double negative)."""
    sentence = modifier.sent
    return any(t.lower_ in _NEGATORS for t in modifier.doc[sentence.start:modifier.start])


def is_clause(target: Span, grammar: ScopeGrammar) -> bool:
    return any(t.lower_ in grammar.predicate_words for t in target)


def make_scope_check(
    grammar: ScopeGrammar, category: str
) -> Callable[[Span, Span, Span], bool]:
    negation = category == "NEGATED_EXISTENCE"

    def allows_modification(target: Span, modifier: Span, _between: Span) -> bool:
        if target.start < modifier.end and modifier.start < target.end:
            return False  # a trigger inside the phrase is part of the phrase
        # medspaCy 1.3.1 passes a wrong "span between" for backward triggers (it includes
        # the trigger itself), so work it out here.
        doc = target.doc
        if modifier.start >= target.end:
            span_between = doc[target.end:modifier.start]
        else:
            span_between = doc[modifier.end:target.start]
        if negation and modifier.text.lower() == "without" and _negated_before(modifier):
            return False  # "can't walk far without my legs going numb": numbness is there
        covered = _covered_by_targets(span_between)
        words = [(t.i, t.lower_) for t in span_between if t.i not in covered]
        joiner_at = [i for i, (_, w) in enumerate(words) if w in grammar.joiners]
        if not joiner_at:
            if negation and modifier.start < target.start and is_clause(target, grammar):
                # "Without any warning my legs went weak": only "no, my legs …" style
                # words may stand between a negation and a clause-like finding.
                return all(w in grammar.clause_glue for _, w in words)
            return True
        if modifier.start > target.start:
            # "My bladder is OK, I think": a backward trigger may follow its clause after a
            # comma, but never reaches back past another clause.
            return all(w in (",", "-") for _, w in words)
        if is_clause(target, grammar):
            return False
        tail = words[joiner_at[-1] + 1:]
        if not all(w in grammar.list_glue for _, w in tail):
            return False
        # A clause between the last joiner and the target ("no weight loss and my legs feel
        # weaker every day") ends the list even when its words belong to another finding.
        last_joiner = words[joiner_at[-1]][0]
        return not any(t.lower_ in grammar.predicate_words
                       for t in doc[last_joiner + 1:span_between.end])

    return allows_modification

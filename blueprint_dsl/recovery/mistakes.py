"""Mistakes common enough to be named, each reported once with a repair of its own
(docs/language.md lists them), by what they get wrong:

- a statement's shape or place: ``statements``, ``blocks`` (how blocks nest),
  ``unknown_blocks`` (a block opened by a word the language does not have), ``includes``
  (an include in another tool's words), ``joint_actions`` (an action of several actors);
- an action's details: ``details`` (where one is written), ``unknown_details`` (a word
  the language does not have for one), ``markers`` (a drawing's mark for a keyword),
  ``missing_values`` (a keyword that ends its line without its value), ``emotions``;
- an actor's declaration: ``declarations``, ``actor_lanes`` (its lane written otherwise);
- a value: ``values``, ``ids`` (an id that starts with a digit), ``estimates`` and
  ``durations`` (a duration as an estimate or a range), ``annotations`` (a step's
  annotation written with a duration), ``text_over_lines`` (text over several lines as
  YAML or Python writes it), ``yaml_lists`` (a list as YAML writes it);
- a flow: ``flows``, ``fan_outs`` (a flow to several actions at once)."""

from __future__ import annotations

from dataclasses import dataclass

import lark
from lark.exceptions import UnexpectedInput

from ..diagnostics import Diagnostic
from .actor_lanes import actor_lane_written_otherwise
from .annotations import duration_for_annotation, time_after_duration_keyword
from .blocks import grouping_block, statements_without_blueprint, step_in_a_step
from .declarations import (
    actor_without_lane,
    aliased_declaration,
    declaration_as_a_node,
    declaration_inside_a_block,
    declaration_without_kind,
    label_before_id,
    lane_after_label,
    quoted_lane,
    unknown_actor_kind,
)
from .details import detail_in_other_words, detail_without_action, details_before_text
from .durations import duration_range
from .emotions import emotion_in_quotes
from .estimates import estimated_duration
from .fan_outs import fan_out
from .flows import flow_label_without_colon, label_after_loop, loop_before_flow, loop_without_flow, text_in_flow
from .ids import id_token_starting_with_digit
from .includes import include_in_other_words
from .joint_actions import joint_action
from .markers import mark_for_keyword
from .missing_values import keyword_without_value
from .prose import words_for_a_statement
from .statements import (
    block_without_brace,
    flow_on_from_action,
    id_after_label,
    id_of_several_words,
    keyword_actor_after_action,
    stage_name_without_quotes,
    stage_without_step,
    step_outside_stage,
    step_without_id,
    step_without_keyword,
)
from .text_over_lines import text_over_lines
from .unknown_blocks import unknown_block
from .unknown_details import annotation_in_other_words, unknown_detail
from .values import (
    colon_after_keyword,
    duration_in_two_units,
    duration_in_words,
    lane_of_two_words,
    quote_inside_string,
    quoted_duration,
    quoted_key,
    string_for_name,
    string_without_opening_quote,
    strings_without_comma,
    text_missing_after_colon,
    trailing_comma,
    word_after_action,
)
from .yaml_lists import yaml_items, yaml_list


@dataclass(frozen=True, slots=True, kw_only=True)
class Mistake:
    """Where the parser stopped, for the recognisers of common mistakes."""

    token: lark.Token
    expected: set[str]
    #: The parser's value stack: the tokens and subtrees read before the token.
    stack: list
    lines: list[str]
    text: str
    path: str

    @classmethod
    def of(cls, error: UnexpectedInput, token: lark.Token, lines: list[str], path: str, expected: set[str]) -> Mistake:
        parser = getattr(error, "interactive_parser", None)
        stack = parser.parser_state.value_stack if parser is not None else []
        return cls(token=token, expected=expected, stack=stack, lines=lines, text="\n".join(lines), path=path)


def explain_known_mistake(mistake: Mistake) -> tuple[Diagnostic, str] | None:
    """Mistakes common enough to be named, each reported once with a repair of its own
    (docs/language.md lists them)."""
    for recognise in _RECOGNISERS:
        explained = recognise(mistake)
        if explained is not None:
            return explained
    return None


_RECOGNISERS = (
    id_token_starting_with_digit,
    fan_out,
    include_in_other_words,
    joint_action,
    keyword_without_value,
    actor_lane_written_otherwise,
    statements_without_blueprint,
    grouping_block,
    unknown_block,
    lane_of_two_words,
    text_missing_after_colon,
    string_without_opening_quote,
    trailing_comma,
    strings_without_comma,
    yaml_list,
    yaml_items,
    keyword_actor_after_action,
    aliased_declaration,
    text_over_lines,
    colon_after_keyword,
    id_after_label,
    step_without_id,
    step_without_keyword,
    stage_name_without_quotes,
    label_before_id,
    quoted_lane,
    lane_after_label,
    declaration_inside_a_block,
    emotion_in_quotes,
    string_for_name,
    estimated_duration,
    time_after_duration_keyword,
    duration_for_annotation,
    quoted_duration,
    unknown_actor_kind,
    block_without_brace,
    duration_in_words,
    actor_without_lane,
    declaration_without_kind,
    declaration_as_a_node,
    quote_inside_string,
    mark_for_keyword,
    detail_in_other_words,
    annotation_in_other_words,
    word_after_action,
    unknown_detail,
    flow_label_without_colon,
    label_after_loop,
    loop_before_flow,
    loop_without_flow,
    text_in_flow,
    duration_range,
    duration_in_two_units,
    step_outside_stage,
    step_in_a_step,
    stage_without_step,
    detail_without_action,
    details_before_text,
    id_of_several_words,
    quoted_key,
    flow_on_from_action,
    words_for_a_statement,
)

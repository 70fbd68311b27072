"""The table of moves (DESIGN §2.3) is consistent: what the services and the database constraint derive from it."""

import collections

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencpf.dossiers.enums import (
    DEADLINES,
    ENGAGED_STATES,
    LAPSING_STATES,
    OPEN_REQUEST_STATES,
    SETTLEMENTS,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    Actor,
    DossierState,
    Ending,
    TransitionNotAllowed,
    allowed_actions,
    transition,
)

S = DossierState


def _successors() -> dict[DossierState | None, set[DossierState]]:
    graph = collections.defaultdict(set)
    for (source, _action), move in TRANSITIONS.items():
        graph[source].add(move.target)
    return graph


def _reachable_from(start: DossierState | None) -> set[DossierState]:
    graph, seen, todo = _successors(), set(), [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_states_are_those_of_the_design():
    assert set(DossierState.values) == {
        "submitted",
        "proposed",
        "confirmed",
        "in_training",
        "completed",
        "paid",
        "expired",
        "refused_by_of",
        "proposal_expired",
        "cancelled_by_holder",
        "cancelled_by_of",
        "abandoned",
        "cancelled_fraud",  # DESIGN §4.2: a confirmed scam
    }


def test_every_state_is_reachable_from_a_new_request():
    assert _reachable_from(None) == set(DossierState)


def test_dead_ends_are_exactly_the_design_ones():
    assert {
        S.PAID,
        S.EXPIRED,
        S.REFUSED_BY_OF,
        S.PROPOSAL_EXPIRED,
        S.CANCELLED_BY_HOLDER,
        S.CANCELLED_BY_OF,
        S.ABANDONED,
        S.CANCELLED_FRAUD,
    } == TERMINAL_STATES
    assert not [key for key in TRANSITIONS if key[0] in TERMINAL_STATES]


@pytest.mark.parametrize("state", sorted(set(DossierState) - TERMINAL_STATES))
def test_no_open_state_is_a_trap(state):
    assert _reachable_from(state) & TERMINAL_STATES


def test_every_move_is_consistent():
    for (source, action), move in TRANSITIONS.items():
        assert (move.source, move.action) == (source, action)
        assert move.actors, f"{source} {action} has nobody allowed"
        assert move.actors <= set(Actor)
        assert move.target in DossierState
        assert move.target != source


def test_every_action_and_actor_is_used():
    assert {action for _source, action in TRANSITIONS} == set(Action)
    assert set().union(*(move.actors for move in TRANSITIONS.values())) == set(Actor)


def test_files_are_only_created_by_the_holder_submitting():
    assert [key for key in TRANSITIONS if key[0] is None] == [(None, Action.SUBMIT)]
    assert [key for key in TRANSITIONS if key[1] == Action.SUBMIT] == [(None, Action.SUBMIT)]
    assert TRANSITIONS[(None, Action.SUBMIT)].actors == {Actor.HOLDER}


def test_the_platform_only_lapses_and_pays():
    # Nothing automatic may act for a person: no acceptance, no declaration by the system.
    system_actions = {action for (_source, action), move in TRANSITIONS.items() if Actor.SYSTEM in move.actors}
    assert system_actions == {Action.LAPSE, Action.PAY}
    assert all(TRANSITIONS[key].actors == {Actor.SYSTEM} for key in TRANSITIONS if key[1] == Action.LAPSE)


def test_lapses_follow_the_design():
    assert TRANSITIONS[(S.SUBMITTED, Action.LAPSE)].target == S.EXPIRED
    assert TRANSITIONS[(S.PROPOSED, Action.LAPSE)].target == S.PROPOSAL_EXPIRED
    assert DEADLINES.keys() >= LAPSING_STATES
    assert set(DEADLINES) == set(DossierState) - TERMINAL_STATES


def test_money_is_engaged_only_by_accepting_and_every_exit_settles_it():
    assert TRANSITIONS[(S.PROPOSED, Action.ACCEPT)].target in ENGAGED_STATES
    into_engaged = {
        key for key, move in TRANSITIONS.items() if key[0] not in ENGAGED_STATES and move.target in ENGAGED_STATES
    }
    assert into_engaged == {(S.PROPOSED, Action.ACCEPT)}
    out_of_engaged = {
        key for key, move in TRANSITIONS.items() if key[0] in ENGAGED_STATES and move.target not in ENGAGED_STATES
    }
    assert out_of_engaged == set(SETTLEMENTS)
    assert set().union(*SETTLEMENTS.values()) == set(Ending)


def test_open_requests_are_those_awaiting_an_answer_or_an_acceptance():
    assert {S.SUBMITTED, S.PROPOSED} == OPEN_REQUEST_STATES
    assert not OPEN_REQUEST_STATES & ENGAGED_STATES


def test_the_happy_path():
    state = None
    for action, actor in [
        (Action.SUBMIT, Actor.HOLDER),
        (Action.PROPOSE, Actor.ORGANISATION),
        (Action.ACCEPT, Actor.HOLDER),
        (Action.DECLARE_ENTRY, Actor.ORGANISATION),
        (Action.DECLARE_EXIT, Actor.ORGANISATION),
        (Action.PAY, Actor.SYSTEM),
    ]:
        state = transition(state, action, actor).target
    assert state == S.PAID


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (S.PROPOSED, Action.ACCEPT, Actor.ORGANISATION),  # only the holder accepts
        (S.SUBMITTED, Action.PROPOSE, Actor.HOLDER),
        (S.SUBMITTED, Action.ACCEPT, Actor.HOLDER),  # nothing to accept yet
        (S.CONFIRMED, Action.DECLARE_EXIT, Actor.ORGANISATION),  # exit before entry
        (S.COMPLETED, Action.CANCEL_BY_HOLDER, Actor.HOLDER),
        (S.SUBMITTED, Action.LAPSE, Actor.AGENT),  # lapses are the platform's
        (S.PROPOSED, Action.PROPOSE, Actor.ORGANISATION),  # proposing twice
        (None, Action.ACCEPT, Actor.HOLDER),
    ],
)
def test_a_move_not_in_the_table_is_refused(state, action, actor):
    with pytest.raises(TransitionNotAllowed):
        transition(state, action, actor)


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES))
def test_nothing_moves_a_dead_file(state):
    for action in Action:
        for actor in Actor:
            with pytest.raises(TransitionNotAllowed):
                transition(state, action, actor)


def test_allowed_actions_per_actor():
    assert allowed_actions(S.PROPOSED, Actor.HOLDER) == [Action.ACCEPT, Action.CANCEL_BY_HOLDER]
    assert allowed_actions(S.SUBMITTED, Actor.ORGANISATION) == [Action.PROPOSE, Action.REFUSE]
    assert allowed_actions(S.CONFIRMED, Actor.ORGANISATION) == [
        Action.DECLARE_NO_SHOW,
        Action.CANCEL_BY_ORGANISATION,
        Action.DECLARE_ENTRY,
    ]
    assert allowed_actions(S.IN_TRAINING, Actor.HOLDER) == []
    assert allowed_actions(S.PAID, Actor.AGENT) == []


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(Action), st.sampled_from(Actor)), max_size=30))
def test_any_sequence_of_attempts_stays_within_the_table(attempts):
    state = None
    for action, actor in attempts:
        try:
            move = transition(state, action, actor)
        except TransitionNotAllowed:
            assert (state, action) not in TRANSITIONS or actor not in TRANSITIONS[(state, action)].actors
            continue
        assert move.source == state and actor in move.actors
        assert action in allowed_actions(state, actor)
        state = move.target
        assert state in DossierState

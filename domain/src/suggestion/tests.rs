//! The lifecycle table, tested exhaustively (every action × state × role), a few stories through it, and
//! a property test: any sequence of commands leaves a consistent suggestion that its events rebuild.

use super::*;
use crate::DomainError;
use crate::account::{Actor, Role};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

const CONGRESS: Uuid = Uuid::from_u128(1);
const OTHER_CONGRESS: Uuid = Uuid::from_u128(2);
const LEAD: Uuid = Uuid::from_u128(10);
const INVITED: Uuid = Uuid::from_u128(11);
const CONFIRMED: Uuid = Uuid::from_u128(12);
const STRANGER: Uuid = Uuid::from_u128(13);
const NEWCOMER: Uuid = Uuid::from_u128(14);
const LEAD_UNIT: Uuid = Uuid::from_u128(20);
const CO_UNIT: Uuid = Uuid::from_u128(21);
const OTHER_UNIT: Uuid = Uuid::from_u128(22);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).single().unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    LeadDeputy,
    InvitedCoSigner,
    ConfirmedCoSigner,
    OtherDeputy,
    LeadUnit,
    CoUnit,
    OtherUnit,
    Staff,
    OtherStaff,
    Citizen,
    Admin,
}

const EVERYONE: [Who; 11] = [
    Who::LeadDeputy,
    Who::InvitedCoSigner,
    Who::ConfirmedCoSigner,
    Who::OtherDeputy,
    Who::LeadUnit,
    Who::CoUnit,
    Who::OtherUnit,
    Who::Staff,
    Who::OtherStaff,
    Who::Citizen,
    Who::Admin,
];

fn actor(who: Who) -> Actor {
    let base = |role, user: u128| Actor {
        user_id: Uuid::from_u128(user),
        role,
        congress_id: None,
        unit_id: None,
        deputy_id: None,
        station_id: None,
    };
    let deputy = |id: Uuid, user| Actor {
        congress_id: Some(CONGRESS),
        deputy_id: Some(id),
        ..base(Role::Deputy, user)
    };
    let unit = |id: Uuid, user| Actor { unit_id: Some(id), ..base(Role::UnitStaff, user) };
    match who {
        Who::LeadDeputy => deputy(LEAD, 100),
        Who::InvitedCoSigner => deputy(INVITED, 101),
        Who::ConfirmedCoSigner => deputy(CONFIRMED, 102),
        Who::OtherDeputy => deputy(STRANGER, 103),
        Who::LeadUnit => unit(LEAD_UNIT, 104),
        Who::CoUnit => unit(CO_UNIT, 105),
        Who::OtherUnit => unit(OTHER_UNIT, 106),
        Who::Staff => Actor { congress_id: Some(CONGRESS), ..base(Role::CongressStaff, 107) },
        Who::OtherStaff => Actor { congress_id: Some(OTHER_CONGRESS), ..base(Role::CongressStaff, 108) },
        Who::Citizen => base(Role::Citizen, 109),
        Who::Admin => base(Role::Admin, 110),
    }
}

fn units(mode: HandlingMode) -> Vec<UnitChoice> {
    let co_role = if mode == HandlingMode::Parallel { HandlingRole::Lead } else { HandlingRole::Co };
    vec![
        UnitChoice { unit_id: LEAD_UNIT, role: HandlingRole::Lead, congress_id: CONGRESS },
        UnitChoice { unit_id: CO_UNIT, role: co_role, congress_id: CONGRESS },
    ]
}

fn answer_b() -> AnswerInput {
    let date = NaiveDate::from_ymd_opt(2027, 12, 31);
    AnswerInput::parse("正在推进", AnswerClass::InProgress, date, None, "王局长", true).unwrap()
}

fn rating(result: Satisfaction) -> RatingInput {
    RatingInput::parse(None, Satisfaction::Satisfied, result, Some("意见")).unwrap()
}

/// A valid command for each action, given the fixtures below.
fn sample(action: Action, now: DateTime<Utc>) -> Command {
    match action {
        Action::EditDraft => Command::EditDraft(DraftText::parse("新标题", "新内容", "交通").unwrap()),
        Action::InviteCoSigner => {
            Command::InviteCoSigner { deputy_id: NEWCOMER, deputy_congress_id: CONGRESS }
        }
        Action::AnswerInvitation => Command::AnswerInvitation { accept: true },
        Action::Submit => Command::Submit,
        Action::ReturnForRevision => Command::ReturnForRevision { reason: "请补充数据".into() },
        Action::Withdraw => Command::Withdraw,
        Action::Assign => Command::Assign {
            mode: HandlingMode::LeadWithCo,
            units: units(HandlingMode::LeadWithCo),
            due_at: None,
        },
        Action::RequestReassignment => {
            Command::RequestReassignment { reason: "不属于本单位职责".into() }
        }
        Action::ApproveReassignment => Command::ApproveReassignment {
            mode: HandlingMode::LeadWithCo,
            units: units(HandlingMode::LeadWithCo),
            due_at: None,
        },
        Action::RejectReassignment => Command::RejectReassignment { reason: "职责明确".into() },
        Action::RequestExtension => {
            Command::RequestExtension { reason: "需要调研".into(), due_at: now + Duration::days(120) }
        }
        Action::ResolveExtension => Command::ResolveExtension { approve: true, reason: None },
        Action::Accept => Command::Accept,
        Action::GiveCoOpinion => Command::GiveCoOpinion { text: "建议同步推进".into() },
        Action::RecordContact => Command::RecordContact {
            method: ContactMethod::Phone,
            contacted_at: now,
            summary: "电话沟通".into(),
        },
        Action::Answer => Command::Answer(answer_b()),
        Action::Rate => Command::Rate(rating(Satisfaction::Satisfied)),
        Action::ReportImplementation => {
            Command::ReportImplementation { note: "已完成一期".into(), done: false }
        }
        Action::RateResult => Command::RateResult { unit_id: None, satisfaction: Satisfaction::Satisfied },
        Action::Supervise => Command::Supervise { supervisor: "常委会副主任".into(), note: None },
        Action::Merge => Command::MergeInto { primary: primary_target() },
    }
}

const PRIMARY: Uuid = Uuid::from_u128(98);

fn primary_target() -> MergeTarget {
    MergeTarget { id: PRIMARY, congress_id: CONGRESS, state: SuggestionState::Proposed, merged_into: None }
}

/// Runs a command that must succeed and applies its events.
fn run(s: &mut Suggestion, events: &mut Vec<Event>, who: Who, command: Command, now: DateTime<Utc>) {
    let decided = s.decide(&actor(who), &command, now, &SuggestionPolicy::default());
    let mut decided = decided.unwrap_or_else(|e| panic!("{who:?} {command:?} in {:?}: {e}", s.state));
    if s.needs_serial(&decided) {
        Suggestion::number(&mut decided, "第1次会议第0001号".into());
    }
    for event in decided {
        s.apply(&event);
        events.push(event);
    }
}

fn created() -> (Suggestion, Vec<Event>) {
    let event = Event::Created {
        id: Uuid::from_u128(99),
        congress_id: CONGRESS,
        sitting: Sitting::Session { number: 1 },
        lead_deputy_id: LEAD,
        title: "关于增设公交线路的建议".into(),
        content: "建议在东城区增设一条公交线路。".into(),
        category: "交通".into(),
        at: t0(),
    };
    (Suggestion::from_created(&event).expect("created"), vec![event])
}

/// A suggestion in `state` with an invited and a confirmed co-signer and, once assigned, a lead and a co-unit.
fn in_state(state: SuggestionState) -> (Suggestion, Vec<Event>) {
    use SuggestionState as S;
    let (mut s, mut ev) = created();
    let now = t0();
    run(
        &mut s,
        &mut ev,
        Who::LeadDeputy,
        Command::InviteCoSigner { deputy_id: INVITED, deputy_congress_id: CONGRESS },
        now,
    );
    run(
        &mut s,
        &mut ev,
        Who::LeadDeputy,
        Command::InviteCoSigner { deputy_id: CONFIRMED, deputy_congress_id: CONGRESS },
        now,
    );
    run(&mut s, &mut ev, Who::ConfirmedCoSigner, Command::AnswerInvitation { accept: true }, now);
    if state == S::Draft {
        return (s, ev);
    }
    if state == S::Withdrawn {
        run(&mut s, &mut ev, Who::LeadDeputy, Command::Withdraw, now);
        return (s, ev);
    }
    run(&mut s, &mut ev, Who::LeadDeputy, sample(Action::Submit, now), now);
    if state == S::Proposed {
        return (s, ev);
    }
    run(&mut s, &mut ev, Who::Staff, sample(Action::Assign, now), now);
    if state == S::Assigned {
        return (s, ev);
    }
    run(&mut s, &mut ev, Who::LeadUnit, Command::Accept, now);
    run(&mut s, &mut ev, Who::LeadUnit, sample(Action::RecordContact, now), now);
    if state == S::Handled {
        return (s, ev);
    }
    run(&mut s, &mut ev, Who::LeadUnit, Command::Answer(answer_b()), now);
    if state == S::Answered {
        return (s, ev);
    }
    run(&mut s, &mut ev, Who::LeadDeputy, Command::Rate(rating(Satisfaction::Satisfied)), now);
    assert_eq!(s.state, S::Rated);
    (s, ev)
}

/// The lifecycle table of the issue, written out independently of the code under test.
fn table(action: Action) -> (&'static [Who], &'static [SuggestionState]) {
    use SuggestionState::*;
    use Who::*;
    const STAFF: &[Who] = &[Staff, Admin];
    match action {
        Action::EditDraft | Action::InviteCoSigner | Action::Submit => (&[LeadDeputy], &[Draft]),
        Action::AnswerInvitation => (&[InvitedCoSigner, ConfirmedCoSigner], &[Draft]),
        Action::ReturnForRevision | Action::Assign => (STAFF, &[Proposed]),
        Action::Withdraw => (&[LeadDeputy], &[Draft, Proposed]),
        Action::RequestReassignment => (&[LeadUnit, CoUnit], &[Assigned]),
        Action::ApproveReassignment | Action::RejectReassignment => (STAFF, &[Assigned]),
        Action::RequestExtension => (&[LeadUnit], &[Assigned, Handled]),
        Action::ResolveExtension => (STAFF, &[Assigned, Handled]),
        Action::Accept => (&[LeadUnit], &[Assigned, Handled]),
        Action::GiveCoOpinion => (&[CoUnit], &[Handled]),
        Action::RecordContact | Action::Answer => (&[LeadUnit], &[Handled]),
        Action::Rate => (&[LeadDeputy, ConfirmedCoSigner], &[Answered, Rated]),
        Action::ReportImplementation => (&[LeadUnit], &[Answered, Rated]),
        Action::RateResult => (&[LeadDeputy], &[Answered, Rated]),
        Action::Supervise => (STAFF, &[Proposed, Assigned, Handled, Answered, Rated]),
        Action::Merge => (STAFF, &[Proposed]),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Forbidden,
    Conflict,
}

fn expected(action: Action, who: Who, state: SuggestionState) -> Outcome {
    use SuggestionState as S;
    let (roles, states) = table(action);
    let assigned = matches!(state, S::Assigned | S::Handled | S::Answered | S::Rated);
    let is_unit = matches!(who, Who::LeadUnit | Who::CoUnit);
    if !roles.contains(&who) || (is_unit && !assigned) {
        return Outcome::Forbidden;
    }
    if !states.contains(&state) {
        return Outcome::Conflict;
    }
    // Preconditions beyond the state, as the fixtures stand.
    let unmet = match action {
        // The lead unit accepted on the way to HANDLED.
        Action::Accept => state == S::Handled,
        // The confirmed co-signer has already answered the invitation.
        Action::AnswerInvitation => who == Who::ConfirmedCoSigner,
        // Nothing is waiting for a decision in the fixtures.
        Action::ApproveReassignment | Action::RejectReassignment | Action::ResolveExtension => true,
        // The lead deputy rates once; the fixture in RATED has been rated.
        Action::Rate => who == Who::LeadDeputy && state == S::Rated,
        // Nobody reported the implementation done.
        Action::RateResult => true,
        _ => false,
    };
    if unmet { Outcome::Conflict } else { Outcome::Ok }
}

#[test]
fn every_action_in_every_state_by_every_role_follows_the_table() {
    let now = t0() + Duration::days(1);
    let policy = SuggestionPolicy::default();
    let mut checked = 0;
    for state in SuggestionState::ALL {
        let (s, _) = in_state(*state);
        assert_eq!(s.state, *state);
        for action in Action::ALL {
            for who in EVERYONE {
                let got = match s.decide(&actor(who), &sample(action, now), now, &policy) {
                    Ok(_) => Outcome::Ok,
                    Err(DomainError::Forbidden(_)) => Outcome::Forbidden,
                    Err(DomainError::Conflict(_)) => Outcome::Conflict,
                    Err(other) => panic!("{action:?} by {who:?} in {state:?}: unexpected {other:?}"),
                };
                assert_eq!(got, expected(action, who, *state), "{action:?} by {who:?} in {state:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 7 * 21 * 11);
}

#[test]
fn the_happy_path_ends_rated_with_a_result_rating() {
    let (mut s, mut ev) = in_state(SuggestionState::Rated);
    let now = t0() + Duration::days(40);
    run(
        &mut s,
        &mut ev,
        Who::LeadUnit,
        Command::ReportImplementation { note: "已通车".into(), done: true },
        now,
    );
    run(
        &mut s,
        &mut ev,
        Who::LeadDeputy,
        Command::RateResult { unit_id: None, satisfaction: Satisfaction::Satisfied },
        now,
    );
    let part = s.assignment.as_ref().and_then(|a| a.part(LEAD_UNIT)).expect("part");
    assert_eq!(part.result_rating, Some(Satisfaction::Satisfied));
    assert_eq!(s.serial.as_deref(), Some("第1次会议第0001号"));
    assert_eq!(Suggestion::replay(&ev).as_ref(), Some(&s));
}

#[test]
fn resubmission_keeps_the_serial_number() {
    let (mut s, mut ev) = in_state(SuggestionState::Proposed);
    let now = t0();
    run(&mut s, &mut ev, Who::Staff, Command::ReturnForRevision { reason: "请补充".into() }, now);
    assert_eq!(s.state, SuggestionState::Draft);
    assert_eq!(s.revision_reason.as_deref(), Some("请补充"));
    let resubmitted = s.decide(&actor(Who::LeadDeputy), &Command::Submit, now, &SuggestionPolicy::default());
    let resubmitted = resubmitted.unwrap();
    assert!(!s.needs_serial(&resubmitted), "a resubmission is not numbered again");
    for event in &resubmitted {
        s.apply(event);
    }
    assert_eq!(s.state, SuggestionState::Proposed);
    assert_eq!(s.serial.as_deref(), Some("第1次会议第0001号"));
}

#[test]
fn dissatisfaction_reopens_once_then_flags() {
    let (mut s, mut ev) = in_state(SuggestionState::Answered);
    let now = t0() + Duration::days(10);
    let due_before = s.assignment.as_ref().map(|a| a.due_at).unwrap_or_default();
    run(&mut s, &mut ev, Who::LeadDeputy, Command::Rate(rating(Satisfaction::Dissatisfied)), now);
    assert_eq!(s.state, SuggestionState::Handled, "re-handling re-opens the part");
    let a = s.assignment.as_ref().expect("assigned");
    assert!(a.due_at >= due_before && a.due_at >= now + Duration::days(30));
    assert_eq!(
        a.part(LEAD_UNIT).map(|p| (p.rehandles, p.history.len(), p.answer.is_none())),
        Some((1, 1, true))
    );

    run(&mut s, &mut ev, Who::LeadUnit, Command::Answer(answer_b()), now);
    run(&mut s, &mut ev, Who::LeadDeputy, Command::Rate(rating(Satisfaction::Dissatisfied)), now);
    assert_eq!(s.state, SuggestionState::Rated, "a second dissatisfaction stays rated");
    assert!(s.flagged);
    assert_eq!(Suggestion::replay(&ev).as_ref(), Some(&s));
}

#[test]
fn parallel_units_each_answer_and_each_answer_is_rated() {
    let (mut s, mut ev) = in_state(SuggestionState::Proposed);
    let now = t0();
    let assign =
        Command::Assign { mode: HandlingMode::Parallel, units: units(HandlingMode::Parallel), due_at: None };
    run(&mut s, &mut ev, Who::Staff, assign, now);
    for unit in [Who::LeadUnit, Who::CoUnit] {
        run(&mut s, &mut ev, unit, Command::Accept, now);
        run(&mut s, &mut ev, unit, sample(Action::RecordContact, now), now);
    }
    run(&mut s, &mut ev, Who::LeadUnit, Command::Answer(answer_b()), now);
    assert_eq!(s.state, SuggestionState::Handled, "one of two answers is not enough");
    run(&mut s, &mut ev, Who::CoUnit, Command::Answer(answer_b()), now);
    assert_eq!(s.state, SuggestionState::Answered);

    // With two answers the deputy must say which one is rated.
    let unnamed = s.decide(
        &actor(Who::LeadDeputy),
        &Command::Rate(rating(Satisfaction::Satisfied)),
        now,
        &SuggestionPolicy::default(),
    );
    assert!(matches!(unnamed, Err(DomainError::Invalid { field: "unitId", .. })));
    for unit in [LEAD_UNIT, CO_UNIT] {
        let input = RatingInput { unit_id: Some(unit), ..rating(Satisfaction::Satisfied) };
        run(&mut s, &mut ev, Who::LeadDeputy, Command::Rate(input), now);
    }
    assert_eq!(s.state, SuggestionState::Rated);
}

#[test]
fn only_the_dissatisfying_part_reopens_in_parallel_mode() {
    let (mut s, mut ev) = in_state(SuggestionState::Proposed);
    let now = t0();
    let assign =
        Command::Assign { mode: HandlingMode::Parallel, units: units(HandlingMode::Parallel), due_at: None };
    run(&mut s, &mut ev, Who::Staff, assign, now);
    for unit in [Who::LeadUnit, Who::CoUnit] {
        run(&mut s, &mut ev, unit, Command::Accept, now);
        run(&mut s, &mut ev, unit, sample(Action::RecordContact, now), now);
        run(&mut s, &mut ev, unit, Command::Answer(answer_b()), now);
    }
    let happy = RatingInput { unit_id: Some(LEAD_UNIT), ..rating(Satisfaction::Satisfied) };
    let unhappy = RatingInput { unit_id: Some(CO_UNIT), ..rating(Satisfaction::Dissatisfied) };
    run(&mut s, &mut ev, Who::LeadDeputy, Command::Rate(happy), now);
    run(&mut s, &mut ev, Who::LeadDeputy, Command::Rate(unhappy), now);
    assert_eq!(s.state, SuggestionState::Handled);
    let a = s.assignment.as_ref().expect("assigned");
    assert!(a.part(LEAD_UNIT).is_some_and(|p| p.rating.is_some() && p.answer.is_some()));
    assert!(a.part(CO_UNIT).is_some_and(|p| p.rating.is_none() && p.answer.is_none()));
}

#[test]
fn assignment_rules() {
    let (s, _) = in_state(SuggestionState::Proposed);
    let now = t0();
    let staff = actor(Who::Staff);
    let policy = SuggestionPolicy::default();
    let check = |mode, units: Vec<UnitChoice>, due_at| {
        s.decide(&staff, &Command::Assign { mode, units, due_at }, now, &policy).map(|_| ()).map_err(|e| {
            match e {
                DomainError::Invalid { field, .. } => field,
                other => panic!("{other:?}"),
            }
        })
    };
    let lead = |id| UnitChoice { unit_id: id, role: HandlingRole::Lead, congress_id: CONGRESS };
    let co = |id| UnitChoice { unit_id: id, role: HandlingRole::Co, congress_id: CONGRESS };
    assert_eq!(check(HandlingMode::LeadWithCo, vec![lead(LEAD_UNIT)], None), Ok(()));
    assert_eq!(check(HandlingMode::LeadWithCo, vec![co(LEAD_UNIT)], None), Err("units"));
    assert_eq!(check(HandlingMode::LeadWithCo, vec![lead(LEAD_UNIT), lead(CO_UNIT)], None), Err("units"));
    assert_eq!(check(HandlingMode::LeadWithCo, vec![lead(LEAD_UNIT), co(LEAD_UNIT)], None), Err("units"));
    assert_eq!(check(HandlingMode::Parallel, vec![lead(LEAD_UNIT)], None), Err("units"));
    assert_eq!(check(HandlingMode::Parallel, vec![lead(LEAD_UNIT), co(CO_UNIT)], None), Err("units"));
    let foreign = UnitChoice { congress_id: OTHER_CONGRESS, ..lead(OTHER_UNIT) };
    assert_eq!(check(HandlingMode::LeadWithCo, vec![foreign], None), Err("units"));
    assert_eq!(
        check(HandlingMode::LeadWithCo, vec![lead(LEAD_UNIT)], Some(now - Duration::hours(1))),
        Err("dueAt")
    );
    assert_eq!(
        check(HandlingMode::LeadWithCo, vec![lead(LEAD_UNIT)], Some(now + Duration::days(200))),
        Err("dueAt")
    );

    // The default deadline is three months after assignment.
    let events = s.decide(&staff, &sample(Action::Assign, now), now, &policy).unwrap_or_default();
    let Some(Event::Assigned { due_at, .. }) = events.first() else { panic!("assigned") };
    assert_eq!(*due_at, now + chrono::Months::new(3));
}

#[test]
fn reassignment_window_and_extension_cap() {
    let (mut s, mut ev) = in_state(SuggestionState::Assigned);
    let policy = SuggestionPolicy::default();
    let late = t0() + Duration::days(8);
    let ask = Command::RequestReassignment { reason: "非本单位职责".into() };
    assert!(matches!(s.decide(&actor(Who::CoUnit), &ask, late, &policy), Err(DomainError::Conflict(_))));
    let now = t0() + Duration::days(2);
    run(&mut s, &mut ev, Who::CoUnit, ask.clone(), now);
    assert!(matches!(s.decide(&actor(Who::LeadUnit), &ask, now, &policy), Err(DomainError::Conflict(_))));
    // Approval restarts the deadline with the new units.
    let new_units = vec![UnitChoice { unit_id: OTHER_UNIT, role: HandlingRole::Lead, congress_id: CONGRESS }];
    run(
        &mut s,
        &mut ev,
        Who::Staff,
        Command::ApproveReassignment { mode: HandlingMode::LeadWithCo, units: new_units, due_at: None },
        now,
    );
    let a = s.assignment.clone().expect("assigned");
    assert_eq!((a.assigned_at, a.units.len(), a.units[0].unit_id), (now, 1, OTHER_UNIT));
    assert_eq!(
        Party::of(&actor(Who::LeadUnit), &s),
        Party::OtherUnit,
        "the old unit no longer sees it as its own"
    );

    let other_unit = Actor { unit_id: Some(OTHER_UNIT), ..actor(Who::LeadUnit) };
    let too_far =
        Command::RequestExtension { reason: "调研".into(), due_at: a.assigned_at + Duration::days(190) };
    assert!(matches!(
        s.decide(&other_unit, &too_far, now, &policy),
        Err(DomainError::Invalid { field: "dueAt", .. })
    ));
    let earlier = Command::RequestExtension { reason: "调研".into(), due_at: a.due_at - Duration::days(1) };
    assert!(matches!(
        s.decide(&other_unit, &earlier, now, &policy),
        Err(DomainError::Invalid { field: "dueAt", .. })
    ));
    let fine = Command::RequestExtension { reason: "调研".into(), due_at: a.due_at + Duration::days(30) };
    let events = s.decide(&other_unit, &fine, now, &policy).unwrap();
    for e in &events {
        s.apply(e);
    }
    let refuse = Command::ResolveExtension { approve: false, reason: None };
    assert!(matches!(
        s.decide(&actor(Who::Staff), &refuse, now, &policy),
        Err(DomainError::Invalid { field: "reason", .. })
    ));
    let approve = Command::ResolveExtension { approve: true, reason: None };
    for e in s.decide(&actor(Who::Staff), &approve, now, &policy).unwrap_or_default() {
        s.apply(&e);
    }
    assert_eq!(s.assignment.as_ref().map(|a| a.due_at), Some(a.due_at + Duration::days(30)));
}

#[test]
fn an_answer_counts_as_contacted_only_after_a_contact_of_its_own_unit() {
    let (mut s, mut ev) = in_state(SuggestionState::Proposed);
    let now = t0();
    let assign =
        Command::Assign { mode: HandlingMode::Parallel, units: units(HandlingMode::Parallel), due_at: None };
    run(&mut s, &mut ev, Who::Staff, assign, now);
    let lenient = SuggestionPolicy { contact_required: false, ..SuggestionPolicy::default() };
    let contacted = |s: &Suggestion, unit: Uuid| {
        let a = s.assignment.as_ref().expect("assigned");
        a.part(unit).and_then(|p| a.contacted_before_answer(p))
    };
    for unit in [Who::LeadUnit, Who::CoUnit] {
        run(&mut s, &mut ev, unit, Command::Accept, now);
    }
    // The lead unit contacts the deputy (saying a time two minutes ahead, within the leeway) and answers.
    let contact = Command::RecordContact {
        method: ContactMethod::Phone,
        contacted_at: now + Duration::minutes(2),
        summary: "电话沟通".into(),
    };
    run(&mut s, &mut ev, Who::LeadUnit, contact, now);
    assert_eq!(contacted(&s, CO_UNIT), None, "no answer yet");
    run(&mut s, &mut ev, Who::LeadUnit, Command::Answer(answer_b()), now);
    assert_eq!(contacted(&s, LEAD_UNIT), Some(true));
    // The co-unit answers without a contact of its own (allowed by a lenient policy): not contacted.
    let decided = s.decide(&actor(Who::CoUnit), &Command::Answer(answer_b()), now, &lenient);
    for event in decided.unwrap_or_else(|e| panic!("{e}")) {
        s.apply(&event);
    }
    assert_eq!(contacted(&s, CO_UNIT), Some(false));
}

#[test]
fn answers_need_a_contact_and_close_co_opinions() {
    let (mut s, mut ev) = in_state(SuggestionState::Assigned);
    let now = t0() + Duration::days(1);
    let policy = SuggestionPolicy::default();
    run(&mut s, &mut ev, Who::LeadUnit, Command::Accept, now);
    let answer = Command::Answer(answer_b());
    assert!(matches!(s.decide(&actor(Who::LeadUnit), &answer, now, &policy), Err(DomainError::Conflict(_))));
    let lenient = SuggestionPolicy { contact_required: false, ..policy };
    assert!(s.decide(&actor(Who::LeadUnit), &answer, now, &lenient).is_ok());

    run(&mut s, &mut ev, Who::CoUnit, Command::GiveCoOpinion { text: "初稿".into() }, now);
    run(
        &mut s,
        &mut ev,
        Who::CoUnit,
        Command::GiveCoOpinion { text: "修改稿".into() },
        now + Duration::days(40),
    );
    let part = s.assignment.as_ref().and_then(|a| a.part(CO_UNIT)).and_then(|p| p.co_opinion.clone());
    assert_eq!(part.map(|o| (o.text, o.late)), Some(("修改稿".to_owned(), true)));
    run(&mut s, &mut ev, Who::LeadUnit, sample(Action::RecordContact, now), now);
    run(&mut s, &mut ev, Who::LeadUnit, answer, now);
    assert!(matches!(
        s.decide(&actor(Who::CoUnit), &Command::GiveCoOpinion { text: "补充".into() }, now, &policy),
        Err(DomainError::Forbidden(_) | DomainError::Conflict(_))
    ));
}

#[test]
fn co_signers_come_from_the_same_congress_and_answer_once() {
    let (s, _) = in_state(SuggestionState::Draft);
    let lead = actor(Who::LeadDeputy);
    let policy = SuggestionPolicy::default();
    let invite = |deputy_id, deputy_congress_id| Command::InviteCoSigner { deputy_id, deputy_congress_id };
    assert!(matches!(
        s.decide(&lead, &invite(NEWCOMER, OTHER_CONGRESS), t0(), &policy),
        Err(DomainError::Invalid { .. })
    ));
    assert!(matches!(
        s.decide(&lead, &invite(LEAD, CONGRESS), t0(), &policy),
        Err(DomainError::Invalid { .. })
    ));
    assert!(matches!(
        s.decide(&lead, &invite(INVITED, CONGRESS), t0(), &policy),
        Err(DomainError::Conflict(_))
    ));
    assert_eq!(s.confirmed_co_signers().collect::<Vec<_>>(), vec![CONFIRMED]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_step() -> impl Strategy<Value = (usize, usize, i64, bool)> {
        (0..EVERYONE.len(), 0..Action::ALL.len(), 0i64..5, any::<bool>())
    }

    /// Variations on the sample commands, so that random runs also take the other branches.
    fn vary(action: Action, flip: bool, now: DateTime<Utc>) -> Command {
        match (action, flip) {
            (Action::Rate, true) => Command::Rate(rating(Satisfaction::Dissatisfied)),
            (Action::AnswerInvitation, true) => Command::AnswerInvitation { accept: false },
            (Action::ReportImplementation, true) => {
                Command::ReportImplementation { note: "完成".into(), done: true }
            }
            (Action::Assign, true) => Command::Assign {
                mode: HandlingMode::Parallel,
                units: units(HandlingMode::Parallel),
                due_at: None,
            },
            (Action::ResolveExtension, true) => {
                Command::ResolveExtension { approve: false, reason: Some("不同意".into()) }
            }
            _ => sample(action, now),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn random_commands_keep_the_suggestion_consistent_and_replayable(steps in proptest::collection::vec(any_step(), 1..60)) {
            let (mut s, mut events) = created();
            let policy = SuggestionPolicy::default();
            let mut now = t0();
            for (who, action, days, flip) in steps {
                now += Duration::days(days);
                let command = vary(Action::ALL[action], flip, now);
                let version = s.version;
                match s.decide(&actor(EVERYONE[who]), &command, now, &policy) {
                    Ok(mut decided) => {
                        // As storage does: a first submission gets the next number.
                        if s.needs_serial(&decided) {
                            Suggestion::number(&mut decided, "第1次会议第0001号".into());
                        }
                        for event in decided {
                            s.apply(&event);
                            events.push(event);
                        }
                    }
                    Err(_) => prop_assert_eq!(s.version, version, "a refusal changes nothing"),
                }
                check_consistent(&s);
                super::check_parts(&s);
            }
            prop_assert_eq!(s.version as usize, events.len());
            prop_assert_eq!(Suggestion::replay(&events), Some(s));
        }
    }

    fn check_consistent(s: &Suggestion) {
        use SuggestionState as S;
        let assigned = s.assignment.is_some();
        match s.state {
            S::Draft | S::Proposed => assert!(!assigned, "{s:?}"),
            S::Withdrawn => {}
            S::Assigned => assert!(assigned),
            S::Handled => assert!(s.assignment.as_ref().is_some_and(|a| a.units.iter().any(|p| p.accepted))),
            S::Answered => assert!(s.assignment.as_ref().is_some_and(|a| a.all_answered() && !a.all_rated())),
            S::Rated => assert!(s.assignment.as_ref().is_some_and(|a| a.all_answered() && a.all_rated())),
        }
        if s.state != S::Draft && s.state != S::Withdrawn {
            assert!(s.serial.is_some());
        }
        if let Some(a) = &s.assignment {
            assert!(a.due_at > a.assigned_at);
            assert!(a.units.iter().all(|p| p.rehandles <= SuggestionPolicy::default().max_rehandles));
        }
    }
}

/// A person's lists read a part holding `s` exactly when they see it; a citizen's lists read none; a
/// deputy's own list, exactly when it is theirs.
/// (So a change that moves the parts of the suggestion before and after reaches every list it alters.)
fn check_parts(s: &Suggestion) {
    let holding = parts_holding(s);
    for who in EVERYONE {
        let actor = actor(who);
        let reads = |mine| Scope::of(&actor).parts(mine).iter().any(|p| holding.contains(p));
        let lists = actor.role != Role::Citizen && sight(&actor, s) != Sight::Hidden;
        assert_eq!(reads(false), lists, "{who:?} in {:?}: parts {holding:?}", s.state);
        // A deputy's own list (`mine`) reads the parts holding exactly their own.
        let own = actor.role == Role::Deputy && sight(&actor, s) == Sight::Full;
        assert_eq!(reads(true), own || (actor.role != Role::Deputy && lists), "{who:?}, mine");
    }
}

#[test]
fn a_persons_lists_read_the_parts_holding_what_they_see() {
    use SuggestionState as S;
    for state in [S::Draft, S::Proposed, S::Assigned, S::Handled, S::Answered, S::Rated, S::Withdrawn] {
        let (s, _) = in_state(state);
        check_parts(&s);
        // The same with every answer kept from the public, and a co-signer who declined.
        let mut private = s.clone();
        for part in private.assignment.iter_mut().flat_map(|a| a.units.iter_mut()) {
            if let Some(answer) = part.answer.as_mut() {
                answer.public = false;
            }
        }
        for c in &mut private.co_signers {
            c.status = CoSignStatus::Declined;
        }
        check_parts(&private);
    }
}

#[test]
fn who_sees_a_suggestion() {
    let (draft, _) = in_state(SuggestionState::Draft);
    let (assigned, _) = in_state(SuggestionState::Assigned);
    let (answered, _) = in_state(SuggestionState::Answered);
    let sees = |who, s: &Suggestion| may_view(&actor(who), s);
    // Drafts are the deputies' own until submitted.
    for who in [Who::LeadDeputy, Who::InvitedCoSigner, Who::ConfirmedCoSigner] {
        assert!(sees(who, &draft), "{who:?}");
    }
    for who in [Who::OtherDeputy, Who::Staff, Who::Admin, Who::LeadUnit, Who::Citizen] {
        assert!(!sees(who, &draft), "{who:?}");
    }
    // Assigned: the congress's staff and the assigned units, not other units or staff of elsewhere.
    for who in [Who::LeadDeputy, Who::ConfirmedCoSigner, Who::Staff, Who::Admin, Who::LeadUnit, Who::CoUnit] {
        assert!(sees(who, &assigned), "{who:?}");
    }
    for who in [Who::OtherDeputy, Who::OtherUnit, Who::OtherStaff, Who::Citizen] {
        assert!(!sees(who, &assigned), "{who:?}");
    }
    // A public answer opens it to every deputy and to citizens, who may follow it; nobody else follows.
    assert!(sees(Who::OtherDeputy, &answered));
    assert!(sees(Who::Citizen, &answered));
    assert_eq!(may_follow(&actor(Who::Citizen), &answered), Ok(()));
    assert_eq!(may_follow(&actor(Who::Citizen), &assigned), Err(DomainError::NotFound("suggestion")));
    for who in [Who::LeadDeputy, Who::OtherDeputy, Who::Staff, Who::LeadUnit] {
        assert!(matches!(may_follow(&actor(who), &answered), Err(DomainError::Forbidden(_))), "{who:?}");
    }
    // Followers hear of the answer and the deputies' ratings, only once an answer is public.
    let told = |s: &Suggestion, e: &Event| notice_for(s, e).map(|n| n.audience).unwrap_or_default();
    let answer = Event::Answered {
        unit_id: LEAD_UNIT,
        answer: answered.assignment.as_ref().and_then(|a| a.units[0].answer.clone()).expect("answered"),
    };
    assert!(told(&answered, &answer).contains(&Audience::Followers(answered.id)));
    let mut private = answered.clone();
    if let Some(a) = private.assignment.as_mut().and_then(|a| a.units[0].answer.as_mut()) {
        a.public = false;
    }
    assert!(!told(&private, &answer).contains(&Audience::Followers(private.id)));
}

#[test]
fn outsiders_see_only_the_public_face() {
    // Parallel handling: the lead unit answered in public, the co-unit in private.
    let (mut s, _) = in_state(SuggestionState::Answered);
    let a = s.assignment.as_mut().expect("assigned");
    let mut private = a.units[0].clone();
    private.unit_id = CO_UNIT;
    if let Some(answer) = private.answer.as_mut() {
        answer.public = false;
        answer.content = "内部答复".into();
    }
    private.co_opinion = Some(CoOpinion { text: "协办意见".into(), at: t0(), late: false });
    a.units.truncate(1);
    a.units.push(private);
    assert!(!s.assignment.as_ref().is_some_and(|a| a.contacts.is_empty()), "the fixture has a contact");

    for who in [Who::LeadDeputy, Who::ConfirmedCoSigner, Who::LeadUnit, Who::CoUnit, Who::Staff, Who::Admin] {
        assert_eq!(sight(&actor(who), &s), Sight::Full, "{who:?}");
    }
    assert_eq!(sight(&actor(Who::OtherDeputy), &s), Sight::Public);
    assert_eq!(sight(&actor(Who::Citizen), &s), Sight::Public);
    for who in [Who::OtherUnit, Who::OtherStaff] {
        assert_eq!(sight(&actor(who), &s), Sight::Hidden, "{who:?}");
    }

    let face = public_face(&s);
    let a = face.assignment.as_ref().expect("assigned");
    assert!(a.contacts.is_empty());
    assert!(a.units[0].answer.as_ref().is_some_and(|answer| answer.public), "the public answer stays");
    assert!(a.units[1].answer.is_none(), "the private answer goes");
    assert!(a.units.iter().all(|p| p.co_opinion.is_none()));
    assert_eq!((face.title.as_str(), a.units.len()), (s.title.as_str(), 2));
    // Without any public answer, an outsider sees nothing at all.
    let mut private_only = s.clone();
    if let Some(answer) = private_only.assignment.as_mut().and_then(|a| a.units[0].answer.as_mut()) {
        answer.public = false;
    }
    assert_eq!(sight(&actor(Who::OtherDeputy), &private_only), Sight::Hidden);
}

#[test]
fn only_deputies_start_suggestions_and_sittings_are_checked() {
    let text = DraftText::parse("标题", "内容", "交通").unwrap();
    let sitting = Sitting::parse(Some(2), None).unwrap();
    assert_eq!(sitting.serial(123), "第2次会议第0123号");
    assert_eq!(Sitting::Recess { year: 2026 }.serial(7), "2026年闭会期间第0007号");
    assert!(Sitting::parse(Some(2), Some(2026)).is_err());
    assert!(Sitting::parse(None, None).is_err());
    assert!(Sitting::parse(Some(0), None).is_err());
    assert!(Suggestion::start(&actor(Who::LeadDeputy), sitting, text.clone(), Uuid::nil(), t0()).is_ok());
    for who in [Who::Staff, Who::LeadUnit, Who::Citizen, Who::Admin] {
        assert!(matches!(
            Suggestion::start(&actor(who), sitting, text.clone(), Uuid::nil(), t0()),
            Err(DomainError::Forbidden(_))
        ));
    }
}

#[test]
fn merged_suggestions_are_assigned_with_their_primary() {
    let now = t0();
    let policy = SuggestionPolicy::default();
    let (mut member, mut member_events) = in_state(SuggestionState::Proposed);
    let (primary, _) = in_state(SuggestionState::Proposed);
    let primary = Suggestion { id: PRIMARY, ..primary };
    let staff = actor(Who::Staff);

    // Refusals: into itself, across congresses, into a primary that is not waiting.
    let target = |id, congress_id, state| MergeTarget { id, congress_id, state, merged_into: None };
    let merge = |t| Command::MergeInto { primary: t };
    let self_merge = merge(target(member.id, CONGRESS, SuggestionState::Proposed));
    assert!(matches!(member.decide(&staff, &self_merge, now, &policy), Err(DomainError::Invalid { .. })));
    let foreign = merge(target(PRIMARY, OTHER_CONGRESS, SuggestionState::Proposed));
    assert!(matches!(member.decide(&staff, &foreign, now, &policy), Err(DomainError::Invalid { .. })));
    let busy = merge(target(PRIMARY, CONGRESS, SuggestionState::Assigned));
    assert!(matches!(member.decide(&staff, &busy, now, &policy), Err(DomainError::Conflict(_))));

    run(&mut member, &mut member_events, Who::Staff, merge(primary_target()), now);
    assert_eq!(member.merged_into, Some(PRIMARY));
    let mut primary = primary;
    for e in primary.absorb(member.id).unwrap_or_default() {
        primary.apply(&e);
    }
    assert_eq!(primary.merged, vec![member.id]);

    // The member is not assigned on its own, and the primary cannot leave while it has members.
    let assign = sample(Action::Assign, now);
    assert!(matches!(member.decide(&staff, &assign, now, &policy), Err(DomainError::Conflict(_))));
    assert!(matches!(
        member.decide(&actor(Who::LeadDeputy), &assign, now, &policy),
        Err(DomainError::Forbidden(_))
    ));
    let withdraw = primary.decide(&actor(Who::LeadDeputy), &Command::Withdraw, now, &policy);
    assert!(matches!(withdraw, Err(DomainError::Conflict(_))));

    // Following the primary's assignment, the member is handled and rated like any other.
    let follow = member.decide_as_merged(&staff, &assign, now, &policy).unwrap();
    for e in &follow {
        member.apply(e);
        member_events.push(e.clone());
    }
    assert_eq!(member.state, SuggestionState::Assigned);
    assert_eq!(Suggestion::replay(&member_events).as_ref(), Some(&member));
}

#[test]
fn the_first_submission_is_numbered_by_storage() {
    let (s, _) = created();
    let decided = s.decide(&actor(Who::LeadDeputy), &Command::Submit, t0(), &SuggestionPolicy::default());
    let mut events = decided.unwrap();
    assert!(matches!(events.as_slice(), [Event::Submitted { serial: None }]));
    assert!(s.needs_serial(&events));
    Suggestion::number(&mut events, "第2次会议第0007号".into());
    assert!(matches!(events.as_slice(), [Event::Submitted { serial: Some(n) }] if n == "第2次会议第0007号"));
}

#[test]
fn own_counts_follow_the_lead_and_the_co_signers_who_did_not_decline() {
    let (mut s, mut ev) = created();
    let now = t0();
    let none = std::collections::BTreeSet::new();
    assert_eq!(own_count_changes(&none, &own_deputies(&s)), vec![(LEAD, 1)]);
    let before = own_deputies(&s);
    let invite = Command::InviteCoSigner { deputy_id: INVITED, deputy_congress_id: CONGRESS };
    run(&mut s, &mut ev, Who::LeadDeputy, invite, now);
    assert_eq!(own_count_changes(&before, &own_deputies(&s)), vec![(INVITED, 1)], "invited counts at once");
    let before = own_deputies(&s);
    run(&mut s, &mut ev, Who::InvitedCoSigner, Command::AnswerInvitation { accept: false }, now);
    assert_eq!(own_count_changes(&before, &own_deputies(&s)), vec![(INVITED, -1)], "declined leaves");
    let before = own_deputies(&s);
    run(&mut s, &mut ev, Who::LeadDeputy, Command::Withdraw, now);
    assert_eq!(own_count_changes(&before, &own_deputies(&s)), vec![], "a withdrawn one stays the lead's own");
}

//! The closed loop, tested exhaustively (every action × state × person, for an opinion that came through
//! a deputy's QR code and one that came through a station's form), stories through it, who is told and who
//! sees what, the waiting limits, and a property test: any sequence of commands leaves a consistent opinion
//! that its events rebuild.

use super::*;
use crate::DomainError;
use crate::account::{Actor, Role};
use crate::suggestion::Satisfaction;
use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

const CONGRESS: Uuid = Uuid::from_u128(1);
const OTHER_CONGRESS: Uuid = Uuid::from_u128(2);
const STATION: Uuid = Uuid::from_u128(3);
const OTHER_STATION: Uuid = Uuid::from_u128(4);
const DEPUTY_A: Uuid = Uuid::from_u128(10);
const DEPUTY_B: Uuid = Uuid::from_u128(11);
const DEPUTY_C: Uuid = Uuid::from_u128(12);
const UNIT: Uuid = Uuid::from_u128(20);
const OTHER_UNIT: Uuid = Uuid::from_u128(21);
const SUGGESTION: Uuid = Uuid::from_u128(30);
const SUBMITTER: Uuid = Uuid::from_u128(109);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).single().unwrap_or_default()
}

/// How the fixture opinion came in, and so who took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// Through deputy A's QR code (A's station is STATION); A takes it.
    Qr,
    /// Through STATION's form; a worker of the station takes it.
    Station,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// Deputy A: the QR code's deputy, at STATION.
    DeputyA,
    /// Deputy B, also at STATION.
    DeputyB,
    /// Deputy C, at another station.
    DeputyC,
    StationWorker,
    OtherStationWorker,
    Staff,
    OtherStaff,
    Admin,
    ForwardedUnit,
    OtherUnit,
    /// The citizen's account that submitted the opinion.
    Submitter,
    /// Anyone presenting the tracking code.
    CodeHolder,
    OtherCitizen,
    Anonymous,
}

const EVERYONE: [Who; 14] = [
    Who::DeputyA,
    Who::DeputyB,
    Who::DeputyC,
    Who::StationWorker,
    Who::OtherStationWorker,
    Who::Staff,
    Who::OtherStaff,
    Who::Admin,
    Who::ForwardedUnit,
    Who::OtherUnit,
    Who::Submitter,
    Who::CodeHolder,
    Who::OtherCitizen,
    Who::Anonymous,
];

fn actor(who: Who) -> Option<Actor> {
    let base = |role, user: u128| Actor {
        user_id: Uuid::from_u128(user),
        role,
        congress_id: None,
        unit_id: None,
        deputy_id: None,
        station_id: None,
    };
    let deputy =
        |id, user| Actor { congress_id: Some(CONGRESS), deputy_id: Some(id), ..base(Role::Deputy, user) };
    let worker = |station, user| Actor { station_id: Some(station), ..base(Role::StationStaff, user) };
    let unit = |id, user| Actor { unit_id: Some(id), ..base(Role::UnitStaff, user) };
    Some(match who {
        Who::DeputyA => deputy(DEPUTY_A, 100),
        Who::DeputyB => deputy(DEPUTY_B, 101),
        Who::DeputyC => deputy(DEPUTY_C, 102),
        Who::StationWorker => worker(STATION, 103),
        Who::OtherStationWorker => worker(OTHER_STATION, 104),
        Who::Staff => Actor { congress_id: Some(CONGRESS), ..base(Role::CongressStaff, 105) },
        Who::OtherStaff => Actor { congress_id: Some(OTHER_CONGRESS), ..base(Role::CongressStaff, 106) },
        Who::Admin => base(Role::Admin, 107),
        Who::ForwardedUnit => unit(UNIT, 108),
        Who::OtherUnit => unit(OTHER_UNIT, 110),
        Who::Submitter => base(Role::Citizen, 109),
        Who::OtherCitizen => base(Role::Citizen, 111),
        Who::CodeHolder | Who::Anonymous => return None,
    })
}

/// Runs `f` with the caller `who` is.
fn as_caller<T>(who: Who, f: impl FnOnce(&Caller<'_>) -> T) -> T {
    let actor = actor(who);
    let deputy_station_id = match who {
        Who::DeputyA | Who::DeputyB => Some(STATION),
        Who::DeputyC => Some(OTHER_STATION),
        _ => None,
    };
    let caller =
        Caller { actor: actor.as_ref(), deputy_station_id, holds_tracking_code: who == Who::CodeHolder };
    f(&caller)
}

fn sample(action: Action) -> Command {
    match action {
        Action::Accept => Command::Accept,
        Action::ResolveDirectly => Command::ResolveDirectly { note: "已联系城管修复路灯".into() },
        Action::Forward => {
            Command::Forward { unit_id: UNIT, unit_congress_id: CONGRESS, note: Some("请核实".into()) }
        }
        Action::Reply => Command::Reply { text: "已安排维修".into() },
        Action::Convert => Command::Convert { suggestion_id: SUGGESTION },
        Action::GiveFeedback => Command::GiveFeedback { text: "路灯已修好，感谢反映".into() },
        Action::Rate => Command::Rate(RatingInput::parse(Satisfaction::Satisfied, None).unwrap()),
    }
}

fn run(o: &mut Opinion, events: &mut Vec<Event>, who: Who, command: Command, now: DateTime<Utc>) {
    let decided = as_caller(who, |c| o.decide(c, &command, now));
    let decided = decided.unwrap_or_else(|e| panic!("{who:?} {command:?} in {:?}: {e}", o.state));
    for event in decided {
        o.apply(&event);
        events.push(event);
    }
}

fn submitted(route: Route) -> (Opinion, Vec<Event>) {
    let input = OpinionInput::parse(
        OpinionCategory::UrbanManagement,
        "和平路路灯不亮",
        Some("和平路88号"),
        Some("孙女士"),
        Some("13812345678"),
    )
    .unwrap();
    let to = match route {
        Route::Qr => {
            Addressee::Deputy { deputy_id: DEPUTY_A, congress_id: CONGRESS, station_id: Some(STATION) }
        }
        Route::Station => Addressee::Station { station_id: STATION, congress_id: CONGRESS },
    };
    let code = TrackingCode::from_random([7; 10]);
    let event = Opinion::submit(&input, to, Some(SUBMITTER), Uuid::from_u128(99), code, t0());
    (Opinion::from_submitted(&event).expect("submitted"), vec![event])
}

fn taker(route: Route) -> Who {
    match route {
        Route::Qr => Who::DeputyA,
        Route::Station => Who::StationWorker,
    }
}

/// An opinion in `state`. FEEDBACK_GIVEN and CLOSED are reached through a forwarding the unit replied to.
fn in_state(route: Route, state: OpinionState) -> (Opinion, Vec<Event>) {
    use OpinionState as S;
    let (mut o, mut ev) = submitted(route);
    let now = t0();
    if state == S::Received {
        return (o, ev);
    }
    run(&mut o, &mut ev, taker(route), Command::Accept, now);
    match state {
        S::Received | S::Accepted => {}
        S::ResolvedDirectly => run(&mut o, &mut ev, taker(route), sample(Action::ResolveDirectly), now),
        S::Converted if route == Route::Qr => {
            run(&mut o, &mut ev, taker(route), sample(Action::Convert), now)
        }
        S::Converted => {
            // A station worker cannot convert; the fixture only needs the state.
            let event = Event::Converted { suggestion_id: SUGGESTION, at: now };
            o.apply(&event);
            ev.push(event);
        }
        S::Forwarded | S::FeedbackGiven | S::Closed => {
            run(&mut o, &mut ev, taker(route), sample(Action::Forward), now);
            if state != S::Forwarded {
                run(&mut o, &mut ev, Who::ForwardedUnit, sample(Action::Reply), now);
                run(&mut o, &mut ev, taker(route), sample(Action::GiveFeedback), now);
            }
            if state == S::Closed {
                run(&mut o, &mut ev, Who::CodeHolder, sample(Action::Rate), now);
            }
        }
    }
    assert_eq!(o.state, state);
    (o, ev)
}

/// How each person stands to the fixture opinion, written out from the issue rather than from the code.
fn party(who: Who, route: Route, state: OpinionState) -> Party {
    use OpinionState as S;
    let accepted = state != S::Received;
    let forwarded = matches!(state, S::Forwarded | S::FeedbackGiven | S::Closed);
    match who {
        Who::CodeHolder | Who::Submitter => Party::Citizen,
        w if accepted && w == taker(route) => Party::Responsible { deputy: route == Route::Qr },
        Who::Staff | Who::Admin => Party::CongressStaff,
        Who::DeputyA if route == Route::Qr => Party::AddressedDeputy,
        // A station form reaches every deputy of the station; a QR code only its deputy.
        Who::DeputyA | Who::DeputyB if route == Route::Station => Party::StationDeputy,
        Who::StationWorker => Party::StationStaff,
        Who::ForwardedUnit if forwarded => Party::Unit,
        _ => Party::Outsider,
    }
}

/// The lifecycle table of the issue: who may, and from which states.
fn table(action: Action) -> (&'static [Party], &'static [OpinionState]) {
    use OpinionState::*;
    const RESPONSIBLE: &[Party] =
        &[Party::Responsible { deputy: true }, Party::Responsible { deputy: false }];
    match action {
        Action::Accept => (
            &[
                Party::Responsible { deputy: true },
                Party::Responsible { deputy: false },
                Party::AddressedDeputy,
                Party::StationDeputy,
                Party::StationStaff,
                Party::CongressStaff,
            ],
            &[Received],
        ),
        Action::ResolveDirectly | Action::Forward => (RESPONSIBLE, &[Accepted]),
        Action::Convert => (&[Party::Responsible { deputy: true }], &[Accepted]),
        Action::Reply => (&[Party::Unit], &[Forwarded]),
        Action::GiveFeedback => (RESPONSIBLE, &[ResolvedDirectly, Forwarded, Converted]),
        Action::Rate => (&[Party::Citizen], &[FeedbackGiven]),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Forbidden,
    Conflict,
}

fn expected(action: Action, who: Who, route: Route, state: OpinionState) -> Outcome {
    let (parties, states) = table(action);
    if !parties.contains(&party(who, route, state)) {
        return Outcome::Forbidden;
    }
    if !states.contains(&state) {
        return Outcome::Conflict;
    }
    // Beyond the state, as the fixtures stand: the forwarded fixture has no reply yet.
    if action == Action::GiveFeedback && state == OpinionState::Forwarded {
        return Outcome::Conflict;
    }
    Outcome::Ok
}

#[test]
fn every_action_in_every_state_by_everyone_follows_the_table() {
    let now = t0() + Duration::days(1);
    let mut checked = 0;
    for route in [Route::Qr, Route::Station] {
        for state in OpinionState::ALL {
            let (o, _) = in_state(route, *state);
            for action in Action::ALL {
                for who in EVERYONE {
                    assert_eq!(
                        Party::of_test(who, &o),
                        party(who, route, *state),
                        "{who:?} {route:?} {state:?}"
                    );
                    let got = match as_caller(who, |c| o.decide(c, &sample(action), now)) {
                        Ok(_) => Outcome::Ok,
                        Err(DomainError::Forbidden(_)) => Outcome::Forbidden,
                        Err(DomainError::Conflict(_)) => Outcome::Conflict,
                        Err(other) => panic!("{action:?} by {who:?} in {state:?}: unexpected {other:?}"),
                    };
                    assert_eq!(
                        got,
                        expected(action, who, route, *state),
                        "{action:?} by {who:?} in {route:?} {state:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 2 * 7 * 7 * 14);
}

impl Party {
    fn of_test(who: Who, o: &Opinion) -> Party {
        as_caller(who, |c| Party::of(c, o))
    }
}

#[test]
fn the_first_to_accept_stays_responsible() {
    let (mut o, mut ev) = submitted(Route::Station);
    run(&mut o, &mut ev, Who::DeputyB, Command::Accept, t0());
    for who in [Who::StationWorker, Who::Staff, Who::DeputyA, Who::DeputyB] {
        let second = as_caller(who, |c| o.decide(c, &Command::Accept, t0()));
        assert!(matches!(second, Err(DomainError::Conflict(_))), "{who:?}: {second:?}");
    }
    assert_eq!(o.responsible.map(|r| r.deputy_id), Some(Some(DEPUTY_B)));
    // The station worker may not act on what the deputy took.
    let forward = as_caller(Who::StationWorker, |c| o.decide(c, &sample(Action::Forward), t0()));
    assert!(matches!(forward, Err(DomainError::Forbidden(_))));
}

#[test]
fn forwarding_replying_feedback_and_rating_close_the_loop() {
    let (mut o, mut ev) = submitted(Route::Qr);
    let now = t0() + Duration::hours(1);
    run(&mut o, &mut ev, Who::DeputyA, Command::Accept, now);
    let foreign = Command::Forward { unit_id: OTHER_UNIT, unit_congress_id: OTHER_CONGRESS, note: None };
    assert!(matches!(
        as_caller(Who::DeputyA, |c| o.decide(c, &foreign, now)),
        Err(DomainError::Invalid { field: "unitId", .. })
    ));
    run(&mut o, &mut ev, Who::DeputyA, sample(Action::Forward), now);
    assert_eq!(WaitKind::of(&o), Some(WaitKind::UnitReply));
    run(&mut o, &mut ev, Who::ForwardedUnit, sample(Action::Reply), now + Duration::days(2));
    assert!(matches!(
        as_caller(Who::ForwardedUnit, |c| o.decide(c, &sample(Action::Reply), now)),
        Err(DomainError::Conflict(_))
    ));
    assert_eq!((o.state, WaitKind::of(&o)), (OpinionState::Forwarded, Some(WaitKind::Feedback)));
    run(&mut o, &mut ev, Who::DeputyA, sample(Action::GiveFeedback), now + Duration::days(3));
    let rating = RatingInput::parse(Satisfaction::BasicallySatisfied, Some("修得有点慢")).unwrap();
    run(&mut o, &mut ev, Who::Submitter, Command::Rate(rating), now + Duration::days(4));
    assert_eq!(o.state, OpinionState::Closed);
    assert_eq!(o.closure.map(|c| c.by), Some(ClosedBy::Rating));
    assert_eq!(o.rating.as_ref().map(|r| r.satisfaction), Some(Satisfaction::BasicallySatisfied));
    assert_eq!(Opinion::replay(&ev).as_ref(), Some(&o));
    assert_eq!(o.version as usize, ev.len());
}

#[test]
fn only_a_responsible_deputy_converts() {
    let (o, _) = in_state(Route::Station, OpinionState::Accepted);
    let refused = as_caller(Who::StationWorker, |c| o.decide(c, &sample(Action::Convert), t0()));
    assert!(matches!(refused, Err(DomainError::Forbidden(_))));
    let (mut o, mut ev) = in_state(Route::Qr, OpinionState::Accepted);
    run(&mut o, &mut ev, Who::DeputyA, sample(Action::Convert), t0());
    assert_eq!((o.state, o.suggestion_id), (OpinionState::Converted, Some(SUGGESTION)));
}

#[test]
fn the_system_closes_fifteen_days_after_the_feedback() {
    let policy = OpinionPolicy::default();
    let (mut o, mut ev) = in_state(Route::Qr, OpinionState::FeedbackGiven);
    let feedback_at = o.feedback.as_ref().map(|f| f.at).unwrap_or_default();
    assert!(matches!(
        o.close_if_due(feedback_at + Duration::days(14), &policy),
        Err(DomainError::Conflict(_))
    ));
    let due = feedback_at + Duration::days(15);
    for event in o.close_if_due(due, &policy).unwrap() {
        o.apply(&event);
        ev.push(event);
    }
    assert_eq!((o.state, o.closure.map(|c| c.by)), (OpinionState::Closed, Some(ClosedBy::Timeout)));
    assert!(o.close_if_due(due, &policy).is_err(), "closed once");
    let (open, _) = in_state(Route::Qr, OpinionState::Accepted);
    assert!(open.close_if_due(due + Duration::days(100), &policy).is_err(), "only after feedback");
    assert_eq!(Opinion::replay(&ev).as_ref(), Some(&o));
}

#[test]
fn waiting_limits_are_three_fifteen_fifteen_and_seven_days() {
    let (received, _) = in_state(Route::Qr, OpinionState::Received);
    assert_eq!(overdue(&received, t0() + Duration::days(3)), None);
    assert_eq!(
        overdue(&received, t0() + Duration::days(3) + Duration::minutes(1)),
        Some(WaitKind::Acceptance)
    );
    let (accepted, _) = in_state(Route::Qr, OpinionState::Accepted);
    assert_eq!(overdue(&accepted, t0() + Duration::days(15)), None);
    assert_eq!(overdue(&accepted, t0() + Duration::days(16)), Some(WaitKind::Handling));
    let (forwarded, _) = in_state(Route::Qr, OpinionState::Forwarded);
    assert_eq!(overdue(&forwarded, t0() + Duration::days(16)), Some(WaitKind::UnitReply));
    let (resolved, _) = in_state(Route::Qr, OpinionState::ResolvedDirectly);
    assert_eq!(overdue(&resolved, t0() + Duration::days(7)), None);
    assert_eq!(overdue(&resolved, t0() + Duration::days(8)), Some(WaitKind::Feedback));
    for done in [OpinionState::FeedbackGiven, OpinionState::Closed] {
        let (o, _) = in_state(Route::Qr, done);
        assert_eq!(overdue(&o, t0() + Duration::days(100)), None, "{done:?}");
    }
    for kind in WaitKind::ALL {
        assert_eq!(WaitKind::parse(kind.as_str()), Some(kind));
    }
}

#[test]
fn each_step_tells_the_people_it_concerns() {
    let told =
        |o: &Opinion, e: &Event| notice_for(o, e).map(|n| (n.kind, n.audience)).unwrap_or(("", Vec::new()));
    let (qr, ev) = submitted(Route::Qr);
    assert_eq!(told(&qr, &ev[0]), ("OPINION_RECEIVED", vec![Audience::Deputy(DEPUTY_A)]));
    let (station, ev) = submitted(Route::Station);
    assert_eq!(told(&station, &ev[0]), ("OPINION_RECEIVED", vec![Audience::Station(STATION)]));

    let (o, ev) = in_state(Route::Qr, OpinionState::Closed);
    let citizen = vec![Audience::Account(SUBMITTER)];
    let responsible = vec![Audience::Account(Uuid::from_u128(100))];
    let by_kind = |kind: &str| ev.iter().find(|e| e.kind() == kind).map(|e| told(&o, e)).unwrap_or_default();
    assert_eq!(by_kind("ACCEPTED"), ("OPINION_ACCEPTED", citizen.clone()));
    assert_eq!(by_kind("FORWARDED"), ("OPINION_FORWARDED", vec![Audience::Unit(UNIT)]));
    assert_eq!(by_kind("UNIT_REPLIED"), ("OPINION_UNIT_REPLIED", responsible.clone()));
    assert_eq!(by_kind("FEEDBACK_GIVEN"), ("OPINION_FEEDBACK", citizen));
    assert_eq!(by_kind("RATED"), ("OPINION_RATED", responsible));
    for quiet in [
        Event::ResolvedDirectly { note: "n".into(), at: t0() },
        Event::Converted { suggestion_id: SUGGESTION, at: t0() },
        Event::ClosedByTimeout { at: t0() },
    ] {
        assert!(notice_for(&o, &quiet).is_none(), "{quiet:?}");
    }
    // Without an account the citizen is told nothing (they have the tracking code).
    let anonymous = Opinion { submitter_account_id: None, ..o.clone() };
    assert!(notice_for(&anonymous, &Event::FeedbackGiven { text: "t".into(), at: t0() }).is_none());
    for e in &ev {
        if let Some(n) = notice_for(&o, e) {
            assert_eq!(crate::notification::Category::of(n.kind), crate::notification::Category::Opinion);
        }
    }
}

#[test]
fn the_phone_goes_only_to_those_who_call_back() {
    for route in [Route::Qr, Route::Station] {
        let (o, _) = in_state(route, OpinionState::Forwarded);
        let calls_back = |who| as_caller(who, |c| may_call_back(c, &o));
        let sees = |who| as_caller(who, |c| may_view(c, &o));
        for who in [taker(route), Who::StationWorker, Who::Staff, Who::Admin] {
            assert!(calls_back(who), "{route:?} {who:?}");
        }
        for who in
            [Who::DeputyB, Who::DeputyC, Who::ForwardedUnit, Who::OtherUnit, Who::Submitter, Who::CodeHolder]
        {
            assert!(!calls_back(who), "{route:?} {who:?}");
        }
        for who in [Who::DeputyA, Who::StationWorker, Who::Staff, Who::ForwardedUnit, Who::Submitter] {
            assert!(sees(who), "{route:?} {who:?}");
        }
        for who in [
            Who::DeputyC,
            Who::OtherStationWorker,
            Who::OtherStaff,
            Who::OtherUnit,
            Who::OtherCitizen,
            Who::Anonymous,
        ] {
            assert!(!sees(who), "{route:?} {who:?}");
        }
        assert_eq!(o.contact_phone_masked.as_deref(), Some("138****5678"));
        assert!(!format!("{o:?}").contains("13812345678"));
    }
}

#[test]
fn list_scopes_follow_the_role() {
    let scope = |who| actor(who).map(|a| Scope::of(&a, Some(STATION)));
    assert_eq!(scope(Who::Staff), Some(Scope::Congress(CONGRESS)));
    assert_eq!(scope(Who::StationWorker), Some(Scope::Station(STATION)));
    assert_eq!(scope(Who::ForwardedUnit), Some(Scope::Unit(UNIT)));
    assert_eq!(scope(Who::Submitter), Some(Scope::Submitter(SUBMITTER)));
    assert_eq!(scope(Who::Admin), Some(Scope::All));
    assert!(matches!(scope(Who::DeputyA), Some(Scope::Deputy { deputy_id: DEPUTY_A, .. })));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_step() -> impl Strategy<Value = (usize, usize, i64, bool)> {
        (0..EVERYONE.len(), 0..Action::ALL.len(), 0i64..20, any::<bool>())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn random_commands_keep_the_opinion_consistent_and_replayable(
            qr in any::<bool>(),
            steps in proptest::collection::vec(any_step(), 1..40),
        ) {
            let (mut o, mut events) = submitted(if qr { Route::Qr } else { Route::Station });
            let policy = OpinionPolicy::default();
            let mut now = t0();
            for (who, action, days, timeout) in steps {
                now += Duration::days(days);
                let version = o.version;
                let decided = if timeout {
                    o.close_if_due(now, &policy)
                } else {
                    as_caller(EVERYONE[who], |c| o.decide(c, &sample(Action::ALL[action]), now))
                };
                match decided {
                    Ok(decided) => {
                        for event in decided {
                            o.apply(&event);
                            events.push(event);
                        }
                    }
                    Err(_) => prop_assert_eq!(o.version, version, "a refusal changes nothing"),
                }
                check_consistent(&o);
            }
            prop_assert_eq!(o.version as usize, events.len());
            prop_assert_eq!(Opinion::replay(&events), Some(o));
        }
    }

    fn check_consistent(o: &Opinion) {
        use OpinionState as S;
        assert_eq!(o.responsible.is_some(), o.state != S::Received, "{o:?}");
        assert_eq!(o.feedback.is_some(), matches!(o.state, S::FeedbackGiven | S::Closed), "{o:?}");
        assert_eq!(o.closure.is_some(), o.state == S::Closed);
        let ways = [o.resolution.is_some(), o.forwarding.is_some(), o.suggestion_id.is_some()];
        assert!(ways.iter().filter(|w| **w).count() <= 1, "one way of handling: {o:?}");
        if o.state == S::Converted {
            assert!(o.responsible.is_some_and(|r| r.deputy_id.is_some()), "only deputies convert");
        }
        if let Some(f) = &o.feedback
            && let Some(fw) = &o.forwarding
        {
            assert!(fw.reply.as_ref().is_some_and(|r| r.at <= f.at), "feedback after the unit's reply");
        }
    }
}

#[test]
fn timeline_steps_are_all_shown_to_handlers_the_public_ones_to_the_citizen_and_none_to_outsiders() {
    for (party, public, private) in [
        (Party::CongressStaff, true, true),
        (Party::Unit, true, true),
        (Party::Citizen, true, false),
        (Party::Outsider, false, false),
    ] {
        let sight = Sight::of(party);
        assert_eq!((sight.shows_step(true), sight.shows_step(false)), (public, private), "{party:?}");
    }
}

#[test]
fn contact_details_are_erased_after_the_retention_period_or_with_the_account() {
    let policy = OpinionPolicy::default();
    let (open, _) = in_state(Route::Qr, OpinionState::FeedbackGiven);
    let far = t0() + Duration::days(10_000);
    assert!(
        matches!(open.erase_contact(ErasureReason::Retention, far, &policy), Err(DomainError::Conflict(_))),
        "an open opinion keeps its contact: someone may still call back"
    );
    let (mut o, mut ev) = in_state(Route::Qr, OpinionState::Closed);
    let closed_at = o.closure.map(|c| c.at).unwrap_or_default();
    let until = closed_at + Duration::days(180);
    assert_eq!(o.contact_kept_until(&policy), Some(until));
    assert!(o.erase_contact(ErasureReason::Retention, until - Duration::seconds(1), &policy).is_err());
    let (state, stage_at, version) = (o.state, o.stage_at, o.version);
    for event in o.erase_contact(ErasureReason::Retention, until, &policy).unwrap() {
        assert_eq!(event.kind(), "CONTACT_ERASED");
        assert!(event.is_public() && event.note().is_none() && notice_for(&o, &event).is_none());
        o.apply(&event);
        ev.push(event);
    }
    assert_eq!((o.contact_name.as_deref(), o.contact_phone_masked.as_deref()), (None, None));
    assert_eq!((o.state, o.stage_at, o.version), (state, stage_at, version + 1), "not a step of the loop");
    assert_eq!(o.submitter_account_id, Some(SUBMITTER), "retention keeps the account's own list");
    assert_eq!(o.content, "和平路路灯不亮", "the matter stays");
    assert_eq!(o.erase_contact(ErasureReason::Retention, until, &policy), Ok(Vec::new()), "once");

    // The stored submission, scrubbed, replays to the same opinion: nothing of the contact is left to read.
    let scrubbed: Vec<Event> = ev.iter().map(|e| e.without_contact(ErasureReason::Retention)).collect();
    assert_eq!(Opinion::replay(&scrubbed).as_ref(), Some(&o));
    let text = format!("{scrubbed:?}");
    assert!(!text.contains("孙女士") && !text.contains("5678"), "{text}");

    // A deleted account: at once, in any state, and the link to the account goes too.
    let (mut o, mut ev) = in_state(Route::Qr, OpinionState::Accepted);
    for event in o.erase_contact(ErasureReason::AccountDeleted, t0(), &policy).unwrap() {
        o.apply(&event);
        ev.push(event);
    }
    assert_eq!((o.contact_name.as_deref(), o.submitter_account_id), (None, None));
    assert_eq!(o.state, OpinionState::Accepted);
    let scrubbed: Vec<Event> = ev.iter().map(|e| e.without_contact(ErasureReason::AccountDeleted)).collect();
    assert_eq!(Opinion::replay(&scrubbed).as_ref(), Some(&o));
    assert!(!o.holds_contact(ErasureReason::AccountDeleted));
}

#[test]
fn what_is_published_holds_nothing_anyone_wrote_or_gave() {
    let (mut o, _) = in_state(Route::Qr, OpinionState::FeedbackGiven);
    o.position = Some(crate::geo::Coordinates::parse(30.274_149, 120.155_149).unwrap());
    let published = publish(&o, t0());
    assert_eq!(published.position, Some((30.274, 120.155)), "about a hundred metres");
    assert!(!published.closed);
    assert_eq!(published.status_note, "已答复，请您评价");
    let text = format!("{published:?}");
    for secret in ["孙女士", "5678", "和平路", "路灯不亮"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let (closed, _) = in_state(Route::Station, OpinionState::Closed);
    assert!(publish(&closed, t0()).closed);
}

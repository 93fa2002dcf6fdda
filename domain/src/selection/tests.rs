use super::*;

fn congress() -> Uuid {
    Uuid::from_u128(1)
}

fn other() -> Uuid {
    Uuid::from_u128(2)
}

fn staff(of: Uuid) -> Actor {
    Actor {
        user_id: Uuid::from_u128(90),
        role: Role::CongressStaff,
        congress_id: Some(of),
        unit_id: None,
        deputy_id: None,
        station_id: None,
    }
}

fn deputy(n: u128, of: Uuid) -> Actor {
    Actor {
        user_id: Uuid::from_u128(200 + n),
        role: Role::Deputy,
        congress_id: Some(of),
        unit_id: None,
        deputy_id: Some(Uuid::from_u128(n)),
        station_id: None,
    }
}

fn unit_staff() -> Actor {
    Actor {
        user_id: Uuid::from_u128(300),
        role: Role::UnitStaff,
        congress_id: None,
        unit_id: Some(Uuid::from_u128(301)),
        deputy_id: None,
        station_id: None,
    }
}

fn facts(method: DecisionMethod, committee: &[u128]) -> OpenFacts {
    OpenFacts {
        congress_id: congress(),
        kind: SelectionKind::BestSuggestion,
        method,
        year: 2026,
        places: 2,
        committee: committee.iter().map(|d| (Uuid::from_u128(*d), congress())).collect(),
    }
}

fn vote_selection() -> Selection {
    Selection::open(
        &staff(congress()),
        Uuid::from_u128(7),
        &facts(DecisionMethod::CommitteeVote, &[10, 11, 12]),
    )
    .unwrap()
}

#[test]
fn staff_open_with_a_committee_of_the_congress_only_for_a_vote() {
    let s = vote_selection();
    assert_eq!((s.state, s.committee.len()), (SelectionState::Nominating, 3));
    let refused = |f: &OpenFacts| Selection::open(&staff(congress()), Uuid::nil(), f).unwrap_err();
    assert!(matches!(
        Selection::open(&staff(other()), Uuid::nil(), &facts(DecisionMethod::CommitteeVote, &[10])),
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        Selection::open(&deputy(10, congress()), Uuid::nil(), &facts(DecisionMethod::StaffDecision, &[])),
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        refused(&facts(DecisionMethod::CommitteeVote, &[])),
        DomainError::Invalid { field: "committeeDeputyIds", .. }
    ));
    assert!(matches!(
        refused(&facts(DecisionMethod::CommitteeVote, &[10, 10])),
        DomainError::Invalid { field: "committeeDeputyIds", .. }
    ));
    assert!(matches!(
        refused(&facts(DecisionMethod::StaffDecision, &[10])),
        DomainError::Invalid { field: "committeeDeputyIds", .. }
    ));
    let mut foreign = facts(DecisionMethod::CommitteeVote, &[10]);
    foreign.committee.push((Uuid::from_u128(11), other()));
    assert!(matches!(refused(&foreign), DomainError::Invalid { field: "committeeDeputyIds", .. }));
    let mut none = facts(DecisionMethod::StaffDecision, &[]);
    none.places = 0;
    assert!(matches!(refused(&none), DomainError::Invalid { field: "places", .. }));
    none.places = 1;
    none.year = 1999;
    assert!(matches!(refused(&none), DomainError::Invalid { field: "year", .. }));
}

/// Every action × state × party: exactly the table's cells are allowed, and refusals come in the order
/// NOT_FOUND, FORBIDDEN, CONFLICT.
#[test]
fn every_action_in_every_state_for_every_party() {
    let parties: [(Option<Actor>, Party); 6] = [
        (Some(staff(congress())), Party::Staff),
        (Some(deputy(10, congress())), Party::Member),
        (Some(deputy(20, congress())), Party::Deputy),
        (Some(deputy(10, other())), Party::Outsider),
        (Some(unit_staff()), Party::Outsider),
        (None, Party::Outsider),
    ];
    for method in DecisionMethod::ALL {
        let mut s = vote_selection();
        s.method = *method;
        for state in SelectionState::ALL {
            s.state = *state;
            for action in Action::ALL {
                for (viewer, party) in &parties {
                    assert_eq!(Party::of(viewer.as_ref(), &s), *party);
                    let got = s.check(viewer.as_ref(), action);
                    let fits = method_of(action).is_none_or(|m| m == *method);
                    match got {
                        Ok(next) => {
                            assert!(allowed(action, *party) && fits && states(action).contains(state));
                            assert_eq!(next, next_state(action, *state));
                        }
                        Err(DomainError::NotFound(_)) => assert_eq!(*party, Party::Outsider),
                        Err(DomainError::Forbidden(_)) => {
                            assert!(*party != Party::Outsider && !allowed(action, *party))
                        }
                        Err(DomainError::Conflict(_)) => {
                            assert!(allowed(action, *party) && !(fits && states(action).contains(state)))
                        }
                        Err(other) => panic!("{other:?}"),
                    }
                }
            }
        }
    }
}

#[test]
fn results_show_to_staff_once_decided_and_to_deputies_once_published() {
    let mut s = vote_selection();
    let member = deputy(10, congress());
    let st = staff(congress());
    for (state, staff_sees, deputies_see) in [
        (SelectionState::Nominating, false, false),
        (SelectionState::Voting, false, false),
        (SelectionState::Decided, true, false),
        (SelectionState::Published, true, true),
    ] {
        s.state = state;
        assert_eq!(s.results_visible_to(Some(&st)), staff_sees, "{state:?}");
        assert_eq!(s.results_visible_to(Some(&member)), deputies_see, "{state:?}");
        assert_eq!(s.results_visible_to(Some(&deputy(20, congress()))), deputies_see);
        assert!(!s.results_visible_to(Some(&deputy(10, other()))));
        assert!(!s.results_visible_to(None));
    }
    assert!(s.visible_to(Some(&deputy(20, congress()))));
    assert!(!s.visible_to(Some(&staff(other()))));
}

fn suggestion(state: SuggestionState, congress_id: Uuid, group: Option<u128>) -> Nominee {
    Nominee::Suggestion {
        id: Uuid::from_u128(500),
        congress_id,
        state,
        lead_deputy_id: Uuid::from_u128(10),
        group_id: group.map(Uuid::from_u128),
    }
}

#[test]
fn a_nomination_fits_the_kind_the_congress_and_the_group() {
    let s = vote_selection();
    let answered = suggestion(SuggestionState::Answered, congress(), Some(40));
    assert!(check_nomination(&s, &answered, None, 0).is_ok());
    assert!(check_nomination(&s, &suggestion(SuggestionState::Rated, congress(), None), None, 0).is_ok());
    assert_eq!(answered.credited_deputy(), Uuid::from_u128(10));
    let invalid = |n: &Nominee, g: Option<(Uuid, Uuid)>| match check_nomination(&s, n, g, 0) {
        Err(DomainError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(invalid(&suggestion(SuggestionState::Handled, congress(), None), None), "suggestionId");
    assert_eq!(invalid(&suggestion(SuggestionState::Answered, other(), None), None), "suggestionId");
    let d = Nominee::Deputy {
        id: Uuid::from_u128(10),
        congress_id: congress(),
        group_id: Some(Uuid::from_u128(40)),
    };
    assert_eq!(invalid(&d, None), "suggestionId", "a deputy in a best-suggestion selection");
    // A group nominates its own deputies' work, and only a group of the congress.
    let group = Uuid::from_u128(40);
    assert!(check_nomination(&s, &answered, Some((group, congress())), 0).is_ok());
    assert_eq!(invalid(&answered, Some((Uuid::from_u128(41), congress()))), "groupId");
    assert_eq!(invalid(&answered, Some((group, other()))), "groupId");
    assert!(matches!(check_nomination(&s, &answered, None, MAX_CANDIDATES), Err(DomainError::Conflict(_))));
    let mut m = s.clone();
    m.kind = SelectionKind::ModelDeputy;
    assert!(check_nomination(&m, &d, Some((group, congress())), 0).is_ok());
    assert!(matches!(
        check_nomination(&m, &answered, None, 0),
        Err(DomainError::Invalid { field: "deputyId", .. })
    ));
}

#[test]
fn staff_name_winners_within_the_places_among_the_candidates() {
    let s = vote_selection();
    let c: Vec<Uuid> = (1..=3).map(Uuid::from_u128).collect();
    assert!(check_winners(&s, &c, &c[..2]).is_ok());
    assert!(check_winners(&s, &c, &[]).is_err());
    assert!(check_winners(&s, &c, &c).is_err(), "more than the places");
    assert!(check_winners(&s, &c, &[c[0], c[0]]).is_err());
    assert!(check_winners(&s, &c, &[Uuid::from_u128(99)]).is_err());
    assert!(matches!(check_publishable(0), Err(DomainError::Conflict(_))));
    assert!(check_publishable(1).is_ok());
}

#[test]
fn the_committee_ballot_chooses_up_to_the_places_among_more_candidates() {
    let s = vote_selection();
    let c: Vec<Uuid> = (1..=3).map(Uuid::from_u128).collect();
    let q = s.question(c.clone()).unwrap();
    assert_eq!((q.form(), q.seats()), (BallotForm::ChooseUpTo, 2));
    assert!(matches!(s.question(c[..2].to_vec()), Err(DomainError::Conflict(_))), "差额: more than places");
}

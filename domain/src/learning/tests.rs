use super::*;

fn actor(role: Role, congress: Option<Uuid>, deputy: Option<Uuid>) -> Actor {
    Actor {
        user_id: Uuid::now_v7(),
        role,
        congress_id: congress,
        unit_id: None,
        deputy_id: deputy,
        station_id: None,
    }
}

struct World {
    congress: Uuid,
    group: Uuid,
    in_group: Actor,
    outside_group: Actor,
    staff: Actor,
    other_staff: Actor,
    other_deputy: Actor,
}

fn world() -> World {
    let congress = Uuid::now_v7();
    let other = Uuid::now_v7();
    World {
        congress,
        group: Uuid::now_v7(),
        in_group: actor(Role::Deputy, Some(congress), Some(Uuid::now_v7())),
        outside_group: actor(Role::Deputy, Some(congress), Some(Uuid::now_v7())),
        staff: actor(Role::CongressStaff, Some(congress), None),
        other_staff: actor(Role::CongressStaff, Some(other), None),
        other_deputy: actor(Role::Deputy, Some(other), Some(Uuid::now_v7())),
    }
}

#[test]
fn who_sees_a_material_role_by_role() {
    let w = world();
    let member = ViewerFacts { deputy_group_id: Some(w.group) };
    let stranger = ViewerFacts { deputy_group_id: None };
    let group = MaterialAudience::Group(w.group);
    assert!(may_see_material(Some(&w.in_group), w.congress, &group, member));
    assert!(!may_see_material(Some(&w.outside_group), w.congress, &group, stranger));
    assert!(may_see_material(Some(&w.staff), w.congress, &group, stranger));
    assert!(!may_see_material(Some(&w.other_staff), w.congress, &group, stranger));
    assert!(!may_see_material(Some(&w.other_deputy), w.congress, &MaterialAudience::AllDeputies, stranger));
    assert!(!may_see_material(None, w.congress, &MaterialAudience::AllDeputies, stranger));
    assert!(may_see_material(Some(&w.outside_group), w.congress, &MaterialAudience::AllDeputies, stranger));
    let admin = actor(Role::Admin, None, None);
    assert!(may_see_material(Some(&admin), w.congress, &group, stranger));
    for role in [Role::Citizen, Role::UnitStaff, Role::StationStaff] {
        let a = actor(role, Some(w.congress), None);
        assert!(
            !may_see_material(Some(&a), w.congress, &MaterialAudience::AllDeputies, stranger),
            "{role:?}"
        );
    }
    let named = MaterialAudience::assigned(vec![w.in_group.deputy_id.unwrap_or_default()]).unwrap();
    assert!(may_see_material(Some(&w.in_group), w.congress, &named, member));
    assert!(!may_see_material(Some(&w.outside_group), w.congress, &named, stranger));
}

#[test]
fn assigned_audience_is_bounded_and_deduplicated() {
    let d = Uuid::now_v7();
    assert_eq!(MaterialAudience::assigned(vec![d, d]), Ok(MaterialAudience::Assigned(vec![d])));
    assert!(MaterialAudience::assigned(vec![]).is_err());
    let many: Vec<Uuid> = (0..=MAX_ASSIGNED).map(|_| Uuid::now_v7()).collect();
    assert!(MaterialAudience::assigned(many).is_err());
}

#[test]
fn an_audience_takes_what_its_kind_needs() {
    let (g, d) = (Uuid::now_v7(), Uuid::now_v7());
    assert_eq!(
        MaterialAudience::parse(AudienceKind::AllDeputies, None, vec![]),
        Ok(MaterialAudience::AllDeputies)
    );
    assert!(MaterialAudience::parse(AudienceKind::AllDeputies, Some(g), vec![]).is_err());
    assert_eq!(
        MaterialAudience::parse(AudienceKind::DeputyGroup, Some(g), vec![]),
        Ok(MaterialAudience::Group(g))
    );
    assert!(MaterialAudience::parse(AudienceKind::DeputyGroup, None, vec![]).is_err());
    assert!(MaterialAudience::parse(AudienceKind::DeputyGroup, Some(g), vec![d]).is_err());
    assert_eq!(
        MaterialAudience::parse(AudienceKind::Assigned, None, vec![d]),
        Ok(MaterialAudience::Assigned(vec![d]))
    );
    assert!(MaterialAudience::parse(AudienceKind::Assigned, Some(g), vec![d]).is_err());
    assert!(MaterialAudience::parse(AudienceKind::Assigned, None, vec![]).is_err());
}

#[test]
fn a_material_needs_what_its_kind_needs() {
    use MaterialCategory::*;
    use MaterialKind::*;
    assert!(NewMaterial::parse("宪法学习", Some("正文"), Article, LawsAndRegulations, None).is_ok());
    assert!(NewMaterial::parse("宪法学习", None, Article, LawsAndRegulations, None).is_err());
    assert!(
        NewMaterial::parse("宪法学习", Some("正文"), Article, LawsAndRegulations, Some("https://a.cn"))
            .is_err()
    );
    assert!(NewMaterial::parse("报告", None, Pdf, WorkReports, None).is_err());
    assert!(NewMaterial::parse("报告", None, Pdf, WorkReports, Some("http://a.cn/r.pdf")).is_ok());
    assert!(NewMaterial::parse("课程", None, Video, TrainingCourses, Some("http://a.cn/v.mp4")).is_err());
    assert!(NewMaterial::parse("课程", None, Video, TrainingCourses, Some("javascript:alert(1)")).is_err());
    let long = format!("https://a.cn/{}", "v".repeat(MAX_URL_CHARS));
    assert!(NewMaterial::parse("课程", None, Video, TrainingCourses, Some(&long)).is_err());
    let course =
        NewMaterial::parse("课程", None, Video, TrainingCourses, Some("https://a.cn/v.mp4")).unwrap();
    assert!(course.is_course());
    assert!(NewMaterial::parse(&"题".repeat(101), Some("x"), Article, CongressRules, None).is_err());
}

#[test]
fn only_a_deputy_who_sees_a_course_completes_it() {
    let w = world();
    let member = ViewerFacts { deputy_group_id: Some(w.group) };
    let none = ViewerFacts::default();
    let group = MaterialAudience::Group(w.group);
    let course = MaterialCategory::TrainingCourses;
    assert_eq!(
        check_completion(&w.in_group, w.congress, course, &group, member, false),
        Ok(w.in_group.deputy_id.unwrap_or_default())
    );
    assert_eq!(
        check_completion(&w.outside_group, w.congress, course, &group, none, false),
        Err(DomainError::NotFound("learning material"))
    );
    assert!(matches!(
        check_completion(&w.staff, w.congress, course, &group, none, false),
        Err(DomainError::Forbidden(_))
    ));
    assert_eq!(
        check_completion(&w.other_deputy, w.congress, course, &MaterialAudience::AllDeputies, none, false),
        Err(DomainError::NotFound("learning material"))
    );
    assert!(matches!(
        check_completion(&w.in_group, w.congress, MaterialCategory::WorkReports, &group, member, false),
        Err(DomainError::Invalid { .. })
    ));
}

#[test]
fn time_spent_is_optional_and_bounded() {
    assert_eq!(seconds_spent(None), Ok(None));
    assert_eq!(seconds_spent(Some(600)), Ok(Some(600)));
    assert!(seconds_spent(Some(0)).is_err());
    assert!(seconds_spent(Some(-5)).is_err());
    assert!(seconds_spent(Some(MAX_SECONDS_SPENT + 1)).is_err());
}

#[test]
fn news_and_documents_readers() {
    let w = world();
    assert!(may_read_news(Some(&w.in_group), w.congress));
    assert!(may_read_news(Some(&w.staff), w.congress));
    assert!(!may_read_news(Some(&w.other_deputy), w.congress));
    assert!(!may_read_news(None, w.congress));
    assert!(may_read_document(None, w.congress, true));
    assert!(!may_read_document(None, w.congress, false));
    assert!(!may_read_document(Some(&w.other_staff), w.congress, false));
    assert!(may_read_document(Some(&w.outside_group), w.congress, false));
    assert!(NewNewsItem::parse("动态", "", true).is_err());
    assert!(NewDocument::parse("条例", "全文", MaterialCategory::TrainingCourses, None, true).is_err());
    assert!(
        NewDocument::parse("条例", "全文", MaterialCategory::CongressRules, Some("ftp://x"), true).is_err()
    );
    assert!(
        NewDocument::parse(
            "条例",
            &"字".repeat(MAX_DOCUMENT_CHARS + 1),
            MaterialCategory::CongressRules,
            None,
            true
        )
        .is_err()
    );
}

#[test]
fn only_staff_of_the_congress_publish() {
    let w = world();
    assert!(check_publisher(&w.staff, w.congress).is_ok());
    assert!(check_publisher(&w.other_staff, w.congress).is_err());
    assert!(check_publisher(&w.in_group, w.congress).is_err());
}

#[test]
fn a_withdrawn_material_is_read_by_staff_only_and_changed_no_more() {
    let w = world();
    let member = ViewerFacts { deputy_group_id: Some(w.group) };
    let all = MaterialAudience::AllDeputies;
    assert!(may_read_material(Some(&w.in_group), w.congress, &all, member, false));
    assert!(!may_read_material(Some(&w.in_group), w.congress, &all, member, true));
    assert!(may_read_material(Some(&w.staff), w.congress, &all, member, true));
    assert!(!may_read_material(Some(&w.other_staff), w.congress, &all, member, true));
    assert!(!may_read_material(None, w.congress, &all, member, false));

    let course = MaterialCategory::TrainingCourses;
    assert_eq!(
        check_completion(&w.in_group, w.congress, course, &all, member, true),
        Err(DomainError::NotFound("learning material"))
    );
    assert_eq!(check_change(&w.staff, w.congress, true, false), Ok(()));
    assert!(matches!(check_change(&w.staff, w.congress, true, true), Err(DomainError::Conflict(_))));
    assert!(matches!(check_change(&w.in_group, w.congress, true, false), Err(DomainError::Forbidden(_))));
    assert!(matches!(check_change(&w.other_staff, w.congress, false, false), Err(DomainError::NotFound(_))));
}

//! The dialogue trainer, end to end. The same bodies run natively
//! (`cargo test --test dialogue`) and in the browser (wasm-bindgen-test).

// In the browser these are not `#[test]` functions, so clippy's test allowances do not apply.
#![allow(
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use review_lab::dialogue::{
    bank_error, grade, grade_json, lines_error, scenario, scenarios, BuyerSim, CauseGroup, Persona,
    Rubric, StepId, Transcript, Turn,
};

fn t(scenario: &str, turns: Vec<Turn>) -> Transcript {
    Transcript {
        scenario: scenario.into(),
        turns,
        record: None,
        rubric: None,
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn built_in_data_loads() {
    assert_eq!(bank_error(), None);
    assert_eq!(lines_error(), None);
    assert_eq!(Rubric::built_in_error(), None);
    assert!(scenarios().len() >= 24);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn bank_covers_every_cause_and_persona() {
    let causes: Vec<&str> = scenarios().iter().map(|s| s.truth.cause.as_str()).collect();
    for c in [
        "short-or-broken",
        "colour-difference",
        "smell",
        "loose-threads",
        "poor-quality",
        "suspected-counterfeit",
        "size-not-standard",
        "paid-too-much",
        "no-longer-wanted",
        "attitude-changed",
        "slow-reply",
        "refund-disagreement",
        "slow-logistics",
        "skin-allergy",
    ] {
        assert!(causes.contains(&c), "no scenario for {c}");
    }
    assert!(scenario("torn-shirt-01").is_ok());
    for p in [
        Persona::Polite,
        Persona::Angry,
        Persona::BargainHunter,
        Persona::Malicious,
    ] {
        assert!(scenarios().iter().any(|s| s.persona == p));
    }
    for g in [CauseGroup::Product, CauseGroup::Buyer, CauseGroup::Service] {
        assert!(scenarios().iter().any(|s| s.truth.group == g));
    }
    let mut ids: Vec<&str> = scenarios().iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), scenarios().len(), "duplicate scenario ids");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn steps_always_five_in_order() {
    let r = grade(&t("loose-thread-01", vec![Turn::agent("你好")]), None);
    let r = r.ok();
    let ids: Vec<StepId> = r
        .map(|r| r.steps.iter().map(|s| s.id).collect())
        .unwrap_or_default();
    assert_eq!(ids, StepId::ALL.to_vec());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn negation_and_conditional_do_not_count() {
    for text in [
        "这事不用道歉吧",
        "我们没有抱歉的必要",
        "如果您非要这么想，那我道歉",
        "行吧，对不起。",
    ] {
        let r = grade(&t("loose-thread-01", vec![Turn::agent(text)]), None);
        let met = r.map(|r| r.steps[0].criteria[0].met).unwrap_or(true);
        assert!(!met, "{text}");
    }
    let r = grade(
        &t(
            "loose-thread-01",
            vec![Turn::agent("對不起，給您帶來不便了")],
        ),
        None,
    );
    assert!(r.map(|r| r.steps[0].passed).unwrap_or(false));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn errors_have_codes() {
    let code = |json: &str| grade_json(json).err().map(|e| e.code());
    assert_eq!(code("not json"), Some("invalid_json"));
    assert_eq!(
        code(r#"{"scenario":"x","turns":[]}"#),
        Some("empty_transcript")
    );
    assert_eq!(
        code(r#"{"scenario":"nope","turns":[{"from":"agent","text":"你好"}]}"#),
        Some("unknown_scenario")
    );
    assert_eq!(
        code(r#"{"scenario":"loose-thread-01","turns":[{"from":"agent","text":"  "}]}"#),
        Some("empty_text")
    );
    assert_eq!(
        code(r#"{"scenario":"loose-thread-01","turns":[{"from":"robot","text":"hi"}]}"#),
        Some("invalid_json")
    );
    let huge = format!(
        r#"{{"scenario":"loose-thread-01","turns":[{{"from":"agent","text":"{}"}}]}}"#,
        "抱".repeat(350_000)
    );
    assert_eq!(code(&huge), Some("input_too_large"));
    let long = format!(
        r#"{{"scenario":"loose-thread-01","turns":[{{"from":"agent","text":"{}"}}]}}"#,
        "a".repeat(5000)
    );
    assert_eq!(code(&long), Some("text_too_long"));
    let msg = grade_json(r#"{"scenario":"nope","turns":[{"from":"agent","text":"你好"}]}"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(msg.contains("找不到情景"), "{msg}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn html_emoji_and_mixed_scripts_are_data() {
    let json = r#"{"scenario":"loose-thread-01","turns":[
        {"from":"agent","text":"<script>alert(1)</script>😀 Sorry！非常抱歉🙏，請問是哪裡不滿意？"}]}"#;
    let out = grade_json(json).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(v["steps"][0]["passed"], true);
    assert_eq!(v["steps"][1]["criteria"][0]["met"], true);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn invalid_rubric_names_the_field() {
    let mut v: serde_json::Value = serde_json::to_value(Rubric::built_in()).unwrap_or_default();
    v["steps"][1]["id"] = "record".into();
    let err = Rubric::from_value(v).err();
    assert_eq!(err.as_ref().map(|e| e.code()), Some("invalid_rubric"));
    assert_eq!(err.as_ref().and_then(|e| e.field()), Some("steps[1].id"));
    let mut v: serde_json::Value = serde_json::to_value(Rubric::built_in()).unwrap_or_default();
    v["bands"]["pass"] = 95.into();
    assert_eq!(
        Rubric::from_value(v)
            .err()
            .and_then(|e| e.field().map(str::to_owned)),
        Some("bands".into())
    );
    let json = r#"{"scenario":"loose-thread-01","turns":[{"from":"agent","text":"你好"}],"rubric":{"id":"x"}}"#;
    let e = grade_json(json).err();
    assert_eq!(e.as_ref().map(|e| e.code()), Some("invalid_rubric"));
    assert_eq!(e.as_ref().and_then(|e| e.field()), Some("title"));
    assert!(e
        .map(|e| e.to_string())
        .unwrap_or_default()
        .contains("缺少"));
    let e = Rubric::from_json(r#"{"id":"x","title":"t","colour":1}"#).err();
    assert_eq!(e.as_ref().and_then(|e| e.field()), Some("colour"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn teacher_rubric_replaces_built_in() {
    let mut v: serde_json::Value = serde_json::to_value(Rubric::built_in()).unwrap_or_default();
    v["steps"][0]["criteria"][0]["phrases"] = serde_json::json!(["深表歉意"]);
    let mut tr = t("loose-thread-01", vec![Turn::agent("非常抱歉")]);
    tr.rubric = Some(v);
    let r = grade(&tr, None).ok();
    assert_eq!(r.map(|r| r.steps[0].criteria[0].met), Some(false));
}

fn play(id: &str, seed: u64, lines: &[&str]) -> Vec<String> {
    let Ok(mut b) = BuyerSim::new(id, seed) else {
        return vec![];
    };
    let mut out = vec![b.opening().to_string()];
    for l in lines {
        match b.respond(l) {
            Ok(turn) => out.push(turn.text),
            Err(e) => out.push(format!("ERR {}", e.code())),
        }
    }
    out
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn buyer_is_deterministic_and_reaches_an_outcome() {
    let lines = [
        "您好，我是店铺售后客服。看到您的评价，非常抱歉给您带来不便，我非常理解您的感受。",
        "请问具体是哪里不满意呢？",
        "真的很抱歉，是我们质检没做好。给您补偿3元红包，再送一个小礼物，您看可以吗？",
        "感谢您的理解！可以麻烦您帮我们修改一下评价吗？祝您生活愉快！",
    ];
    let a = play("loose-thread-01", 7, &lines);
    let b = play("loose-thread-01", 7, &lines);
    assert_eq!(a, b);
    let Ok(mut sim) = BuyerSim::new("loose-thread-01", 7) else {
        panic!("scenario missing");
    };
    let mut revealed = false;
    for l in lines {
        let turn = sim.respond(l);
        assert!(turn.is_ok());
        revealed |= turn.map(|t| t.revealed_cause.is_some()).unwrap_or(false);
    }
    assert!(revealed);
    let o = sim.outcome();
    assert!(o.accepted && o.revised && o.finished, "{o:?}");
    assert_eq!(
        sim.respond("还在吗").err().map(|e| e.code()),
        Some("dialogue_over")
    );
    let g = grade(&sim.transcript(), None).ok();
    assert_eq!(g.map(|g| g.steps[3].passed), Some(true));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn buyer_mood_falls_with_blame_and_cause_stays_hidden_until_asked() {
    let Ok(mut sim) = BuyerSim::new("broken-cup-01", 1) else {
        panic!("scenario missing");
    };
    let start = sim.mood();
    let t = sim.respond("这是快递的问题，跟我们没关系。");
    assert!(t
        .as_ref()
        .map(|t| t.revealed_cause.is_none())
        .unwrap_or(false));
    assert!(sim.mood() < start);
    let Ok(mut sim) = BuyerSim::new("broken-cup-01", 1) else {
        panic!("scenario missing");
    };
    let t = sim.respond("我们给您补发一只可以吗？");
    assert!(
        t.map(|t| !t.accepted).unwrap_or(false),
        "angry buyer wants an apology first"
    );
    assert_eq!(
        BuyerSim::new("nope", 1).err().map(|e| e.code()),
        Some("unknown_scenario")
    );
}

fn reply(text: &str) -> review_lab::dialogue::ReplyResult {
    review_lab::dialogue::grade_reply(&review_lab::dialogue::ReplyInput {
        scenario: Some("colour-diff-01".into()),
        reply: text.into(),
    })
    .unwrap()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn public_reply_exercise() {
    assert_eq!(review_lab::dialogue::ReplyRubric::built_in_error(), None);
    let good = reply("感谢您的反馈，给您带来不好的体验很抱歉。裙子的色差主要是拍摄光线造成的，我们已经在详情页补充了实物说明。如有问题欢迎随时联系在线客服为您处理。");
    assert!(good.criteria.iter().all(|c| c.met), "{good:?}");
    assert_eq!(good.band.label(), "优秀");
    let bad = reply("是您自己没看清描述，颜色都一样。王女士，您的订单号 283746592837465123，电话 13812345678，地址杭州市西湖区文三路88号。");
    let kinds: Vec<&str> = bad.private_data.iter().map(|p| p.kind.as_str()).collect();
    for k in ["phone", "order_number", "address", "name"] {
        assert!(kinds.contains(&k), "{k} not found in {kinds:?}");
    }
    let codes: Vec<&str> = bad.violations.iter().map(|v| v.code.as_str()).collect();
    assert!(codes.contains(&"blame") && codes.contains(&"private_data"));
    assert_eq!(bad.band.label(), "不合格");
    let acc = reply("lily_shop_fan 您好，感谢反馈");
    assert_eq!(
        acc.private_data.first().map(|p| p.kind.as_str()),
        Some("account")
    );
    let e = review_lab::dialogue::grade_reply_json(r#"{"reply":""}"#).err();
    assert_eq!(e.map(|e| e.code()), Some("empty_text"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn case_log_analysis() {
    use review_lab::dialogue::{CaseLog, CaseRecord};
    let r = |time: &str, product: &str, cause: &str| CaseRecord {
        time: time.into(),
        customer: "c".into(),
        product: product.into(),
        model: "m".into(),
        cause: cause.into(),
        detail: "d".into(),
        process: "p".into(),
        notes: "n".into(),
    };
    let mut log = CaseLog::new();
    log.add(r("2026-03-05 10:20", "衬衫", "product"), None, true)
        .unwrap();
    log.add(r("2026-03-05 15:00", "衬衫", "product"), None, false)
        .unwrap();
    log.add(r("2026-03-06 09:00", "雨伞", "service"), None, true)
        .unwrap();
    log.add(r("2026-03-06 11:00", "衬衫", "buyer"), None, true)
        .unwrap();
    let a = log.analyse();
    assert_eq!(a.cases, 4);
    assert_eq!(a.top_product.as_deref(), Some("衬衫"));
    assert_eq!(a.top_cause, Some(CauseGroup::Product));
    assert_eq!(a.per_day.len(), 2);
    assert!((a.average_per_day - 2.0).abs() < 1e-9);
    assert_eq!(a.revised, 3);
    assert!((a.revised_percent - 75.0).abs() < 1e-9);
    assert!(a.summary.contains("衬衫"));
    let back = CaseLog::from_json(&log.to_json()).unwrap();
    assert_eq!(back, log);
    let e = log.add(r("昨天", "衬衫", "product"), None, false).err();
    assert_eq!(e.as_ref().and_then(|e| e.field()), Some("time"));
    let e = CaseLog::from_json(
        r#"{"entries":[{"record":{"time":"2026-03-05","product":"x","cause":"weather"}}]}"#,
    )
    .err();
    assert_eq!(
        e.as_ref().and_then(|e| e.field()),
        Some("entries[0].record.cause")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn buyer_rejects_bad_messages_without_changing() {
    let mut sim = BuyerSim::new("loose-thread-01", 3).unwrap();
    let before = sim.transcript();
    let huge = "抱歉".repeat(512 * 1024);
    assert_eq!(
        sim.respond(&huge).err().map(|e| e.code()),
        Some("text_too_long")
    );
    assert_eq!(
        sim.respond(" \n ").err().map(|e| e.code()),
        Some("empty_text")
    );
    assert_eq!(sim.transcript(), before);
    let t = sim
        .respond("<img src=x onerror=alert(1)> 😀😀 OK？")
        .unwrap();
    assert!(!t.text.is_empty());
    let long = Transcript {
        scenario: "loose-thread-01".into(),
        turns: vec![Turn::agent("好"); 201],
        record: None,
        rubric: None,
    };
    assert_eq!(
        grade(&long, None).err().map(|e| e.code()),
        Some("too_many_turns")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn violations_carry_turn_evidence_and_cost() {
    let r = grade(
        &t(
            "broken-cup-01",
            vec![
                Turn::buyer("东西都碎了！"),
                Turn::agent("这是快递的问题，跟我们没关系。"),
                Turn::buyer("什么态度！"),
                Turn::agent("您先把差评改了，我们再说补偿。"),
            ],
        ),
        None,
    )
    .unwrap();
    let v: Vec<(&str, usize)> = r
        .violations
        .iter()
        .map(|v| (v.code.as_str(), v.turn))
        .collect();
    assert_eq!(v, vec![("blame", 1), ("premature_review_request", 3)]);
    assert!(r.violations[0].evidence.contains("快递的问题"));
    assert!(r.violations.iter().all(|v| v.cost > 0));
    assert_eq!(r.band.label(), "不合格");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn traditional_and_full_width_match() {
    assert_eq!(
        review_lab::text::to_simplified("聯繫買家，補償運費"),
        "联系买家，补偿运费"
    );
    assert!(review_lab::text::table_len() > 2000);
    let r = grade(
        &t(
            "loose-thread-01",
            vec![
                Turn::agent("非常抱歉！請問是哪裡不滿意呢？"),
                Turn::buyer("袖口全是線頭。"),
                Turn::agent("給您補償３元紅包，您看可以嗎？"),
            ],
        ),
        None,
    )
    .unwrap();
    assert!(
        r.steps[0].passed && r.steps[1].passed && r.steps[2].passed,
        "{r:?}"
    );
    assert_eq!(r.steps[2].criteria[1].evidence.as_deref(), Some("３元"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_reveal_contains_a_keyword() {
    use review_lab::text::{compile, normalize, GuardUse, Guards};
    for s in scenarios() {
        let keys = compile(&s.truth.keywords);
        let hit = Guards::default().find(
            &normalize(&s.truth.reveal),
            &keys,
            GuardUse {
                negation: false,
                conditional: false,
            },
        );
        assert!(hit.is_some(), "{}: no keyword in the reveal", s.id);
        assert!(
            s.accepts.min_yuan <= s.bottom_line.max_yuan || s.persona == Persona::Malicious,
            "{}: buyer wants more than the bottom line allows",
            s.id
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_good_agent_settles_every_honest_buyer() {
    for s in scenarios()
        .iter()
        .filter(|s| s.persona != Persona::Malicious)
    {
        let mut sim = BuyerSim::new(&s.id, 11).unwrap();
        let mut said = vec![];
        let mut say = |sim: &mut BuyerSim, text: String| {
            let t = sim.respond(&text).unwrap();
            said.push(format!("客服：{text}\n买家：{}", t.text));
            t
        };
        say(
            &mut sim,
            "您好，非常抱歉这次购物让您不满意，我非常理解您的感受。".into(),
        );
        let t = say(&mut sim, "请问具体是哪里出了问题呢？".into());
        assert!(t.revealed_cause.is_some(), "{}", s.id);
        let offer = format!(
            "给您添麻烦了。我们给您补偿{}元红包，再送您一张优惠券，您看可以吗？",
            s.bottom_line.max_yuan
        );
        let mut t = say(&mut sim, offer.clone());
        if !t.accepted {
            t = say(&mut sim, offer);
        }
        assert!(t.accepted, "{}:\n{}", s.id, said.join("\n"));
        let t = say(
            &mut sim,
            "感谢您的理解！可以麻烦您帮我们修改一下评价吗？祝您生活愉快！".into(),
        );
        assert!(
            t.finished && sim.outcome().revised,
            "{}:\n{}",
            s.id,
            said.join("\n")
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn malicious_buyers_never_settle_within_the_bottom_line() {
    for s in scenarios()
        .iter()
        .filter(|s| s.persona == Persona::Malicious)
    {
        let mut sim = BuyerSim::new(&s.id, 5).unwrap();
        sim.respond("您好，给您带来不好的体验很抱歉，请问是什么问题呢？")
            .unwrap();
        let t = sim.respond("我们最多补偿您5元。").unwrap();
        assert!(!t.accepted, "{}", s.id);
        sim.respond("很抱歉，您的要求我们无法满足。").unwrap();
        let t = sim
            .respond("聊天记录我们已截图保存，会向平台申诉。")
            .unwrap();
        assert!(t.finished, "{}", s.id);
        let o = sim.outcome();
        assert!(!o.revised && !o.accepted, "{}", s.id);
        assert!(o.reasons.iter().any(|r| r.contains("恶意评价者")));
    }
}

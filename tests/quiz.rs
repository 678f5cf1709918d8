//! Spot-check quizzes: the lesson's band rule, seeded draws and quizzes, equal
//! difficulty, codes with checksums, grading of every question type, CSV, and
//! bad input. The same bodies run natively (`cargo test --test quiz`) and in
//! headless Chromium (`cargo test --target wasm32-unknown-unknown --test quiz`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[macro_use]
mod both;

use review_lab::dialogue::Band;
use review_lab::quiz::bank::ComputedKind;
use review_lab::quiz::code::{self, ALPHABET};
use review_lab::quiz::draw::{self, InputKind};
use review_lab::quiz::generate::computed;
use review_lab::quiz::grade::{grade_item, grade_quiz, parse_number};
use review_lab::quiz::{
    csv, verdict, Bank, ClassReport, GroupCode, GroupOutcome, Quiz, ResultCode, Settings, Setup,
};
use serde_json::{json, Value};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn bank() -> Bank {
    Bank::built_in().unwrap()
}

fn groups(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("第{i}组")).collect()
}

fn setup(seed: u32, count: u8, pass: u8) -> Setup {
    Setup::new(
        &bank(),
        seed,
        Settings {
            topics: vec![],
            count,
            pass_mark: pass,
        },
    )
    .unwrap()
}

fn quizzes(s: &Setup) -> Vec<Quiz> {
    let b = bank();
    (0..5).map(|p| draw::make_quiz(&b, s, p).unwrap()).collect()
}

/// The right answer of an item as the page would send it.
fn right_answer(q: &Quiz, i: usize) -> Value {
    let it = &q.items[i];
    match it.input {
        InputKind::Choice => json!(it.key.choice.unwrap()),
        InputKind::Order => json!(it.key.order.clone().unwrap()),
        InputKind::Number => json!(format!("{}", it.key.number.unwrap())),
        InputKind::Text => json!(it.key.text.clone()),
    }
}

fn item_of<'a>(quiz: &'a Quiz, kind: &str) -> Option<&'a review_lab::quiz::QuizItem> {
    quiz.items.iter().find(|i| i.kind == kind)
}

/// A quiz holding every question type: all topics, 20 questions.
fn full_quiz(seed: u32) -> (Setup, Quiz) {
    let s = setup(seed, 20, 12);
    let q = draw::make_quiz(&bank(), &s, 0).unwrap();
    (s, q)
}

both! {
    fn band_rule_at_every_count() {
        let want = [
            (0, Band::Fail, "不合格"),
            (1, Band::Fail, "不合格"),
            (2, Band::Fail, "不合格"),
            (3, Band::Pass, "合格"),
            (4, Band::Good, "良好"),
            (5, Band::Excellent, "优秀"),
        ];
        for (n, band, label) in want {
            let v = verdict(n);
            assert_eq!(v.band, band, "{n} groups");
            assert_eq!(v.label, label);
            assert_eq!(v.passed, n);
            assert!(v.rule.contains("5 组都合格为优秀"));
        }
    }

    fn the_built_in_bank_loads_and_has_every_type() {
        let b = bank();
        for t in ["computed", "choice", "cause", "order", "dialogue_step", "essay"] {
            assert!(b.questions.iter().any(|q| q.type_name() == t), "no {t}");
        }
        assert!(b.questions.iter().any(|q| q.id() == "hw-benefits"));
        assert!(b.questions.iter().any(|q| q.id() == "hw-methods"));
        // Export and import give the same bank.
        let again = Bank::from_json(&b.to_json().unwrap()).unwrap();
        assert_eq!(again, b);
        assert_eq!(again.fingerprint(), b.fingerprint());
    }

    fn same_seed_same_draw_questions_and_key() {
        for seed in [1u32, 42, 0x3FFF_FFFF, 777_777] {
            let a = draw::draw_groups(&groups(8), seed).unwrap();
            let b = draw::draw_groups(&groups(8), seed).unwrap();
            assert_eq!(a, b);
            assert_eq!(a.len(), 5);
            let mut sorted = a.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), 5, "five different groups");
            assert!(a.iter().all(|&i| i < 8));
            let s = setup(seed, 8, 5);
            let one = serde_json::to_string(&quizzes(&s)).unwrap();
            let two = serde_json::to_string(&quizzes(&setup(seed, 8, 5))).unwrap();
            assert_eq!(one, two, "seed {seed}: same quizzes and keys");
        }
        // Different seeds draw differently (at least sometimes).
        let draws: std::collections::BTreeSet<Vec<usize>> =
            (0..20).map(|s| draw::draw_groups(&groups(8), s).unwrap()).collect();
        assert!(draws.len() > 10);
    }

    fn every_group_gets_the_same_mix_but_not_the_same_quiz() {
        for seed in 0..15u32 {
            for (count, topics) in [(8u8, vec![]), (5, vec!["causes".to_string(), "reply".to_string()]), (12, vec![])] {
                let s = Setup::new(&bank(), seed, Settings { topics, count, pass_mark: 3 }).unwrap();
                let qs = quizzes(&s);
                let mix = |q: &Quiz| q.items.iter().map(|i| (i.kind.clone(), i.difficulty)).collect::<Vec<_>>();
                for q in &qs {
                    assert_eq!(q.items.len(), usize::from(count));
                    assert_eq!(mix(q), mix(&qs[0]), "seed {seed}: same types and difficulties in the same order");
                }
                for a in 0..5 {
                    for b in a + 1..5 {
                        let pa = qs[a].items.iter().map(|i| (&i.prompt, &i.lines, &i.options)).collect::<Vec<_>>();
                        let pb = qs[b].items.iter().map(|i| (&i.prompt, &i.lines, &i.options)).collect::<Vec<_>>();
                        assert_ne!(pa, pb, "seed {seed}: groups {a} and {b} got identical quizzes");
                    }
                }
                // Within a quiz, no bank question (other than computed templates) repeats.
                for q in &qs {
                    let mut ids: Vec<_> = q.items.iter().filter(|i| i.kind != "computed").map(|i| &i.question).collect();
                    let n = ids.len();
                    ids.sort();
                    ids.dedup();
                    assert_eq!(ids.len(), n);
                }
            }
        }
    }

    fn computed_questions_come_from_the_engine_for_many_seeds() {
        let kinds = [ComputedKind::Credit, ComputedKind::Reason, ComputedKind::Level, ComputedKind::PositiveRate, ComputedKind::Dsr];
        for kind in kinds {
            for d in 1..=3u8 {
                let mut keys = std::collections::BTreeSet::new();
                for seed in 0..40u64 {
                    let g = computed(kind, d, seed).unwrap_or_else(|e| panic!("{kind:?} d{d} seed {seed}: {e}"));
                    assert!(!g.prompt.is_empty());
                    assert!(!g.key_text.is_empty());
                    assert_eq!(g, computed(kind, d, seed).unwrap(), "reproducible");
                    if let Some(c) = g.choice {
                        assert!(c < g.options.len());
                    }
                    keys.insert(g.key_text.clone());
                }
                if kind != ComputedKind::Reason {
                    assert!(keys.len() > 3, "{kind:?} d{d}: answers vary with the seed ({keys:?})");
                }
            }
        }
        // The reason question at difficulty 3 is the monthly cap; at 1–2 low price or same item.
        let g = computed(ComputedKind::Reason, 3, 5).unwrap();
        assert!(g.key_text.contains("6 分"), "{}", g.key_text);
        let seen: std::collections::BTreeSet<String> = (0..30).map(|s| computed(ComputedKind::Reason, 2, s).unwrap().key_text).collect();
        assert_eq!(seen.len(), 2, "{seen:?}");
    }

    fn a_credit_question_matches_a_replay_by_hand() {
        // Difficulty 1: plain reviews, so the credit is good − bad, counted from the lines.
        for seed in 0..20u64 {
            let g = computed(ComputedKind::Credit, 1, seed).unwrap();
            let good = g.lines.iter().filter(|l| l.contains("给出好评")).count() as f64;
            let bad = g.lines.iter().filter(|l| l.contains("给出差评")).count() as f64;
            assert_eq!(g.number, Some(good - bad), "{:?}", g.lines);
        }
    }

    fn choice_cause_order_and_number_items_grade() {
        let b = bank();
        let (_, q) = full_quiz(9);
        for kind in ["choice", "cause", "order"] {
            let it = item_of(&q, kind).unwrap_or_else(|| panic!("no {kind} item"));
            let i = it.number - 1;
            let r = grade_item(&b, it, &right_answer(&q, i)).unwrap();
            assert!(r.correct, "{kind}: {:?}", r.feedback);
            let wrong = match it.input {
                InputKind::Choice => json!((it.key.choice.unwrap() + 1) % it.options.len()),
                _ => {
                    let mut o = it.key.order.clone().unwrap();
                    o.swap(0, 1);
                    json!(o)
                }
            };
            let r = grade_item(&b, it, &wrong).unwrap();
            assert!(!r.correct && r.answered, "{kind}");
            let r = grade_item(&b, it, &Value::Null).unwrap();
            assert!(!r.answered && !r.correct);
        }
        // Numbers: full-width digits, units and percentages are read.
        let n = q.items.iter().find(|i| i.input == InputKind::Number).unwrap();
        let key = n.key.number.unwrap();
        let typed = format!("{key}{}", n.unit);
        assert!(grade_item(&b, n, &json!(typed)).unwrap().correct, "{typed}");
        assert!(!grade_item(&b, n, &json!(format!("{}", key + 1.0))).unwrap().correct);
        assert!(!grade_item(&b, n, &json!("不知道")).unwrap().correct);
        assert_eq!(parse_number("１２分"), Some(12.0));
        assert_eq!(parse_number(" 87.50% "), Some(87.5));
        assert_eq!(parse_number("4.3"), Some(4.3));
        assert_eq!(parse_number("abc"), None);
    }

    fn computed_choice_and_percent_items_grade() {
        let b = bank();
        // A rules-only quiz has computed items of every input.
        let s = Setup::new(&b, 3, Settings { topics: vec!["rules".into()], count: 15, pass_mark: 8 }).unwrap();
        let q = draw::make_quiz(&b, &s, 2).unwrap();
        let answers: Vec<Value> = (0..q.items.len()).map(|i| right_answer(&q, i)).collect();
        let r = grade_quiz(&b, &s, &q, &answers).unwrap();
        assert_eq!(r.score, 15, "{:?}", r.items);
        assert!(r.passed);
        // A rate typed as a fraction is read as a percentage too.
        if let Some(it) = q.items.iter().find(|i| i.unit == "%") {
            let frac = it.key.number.unwrap() / 100.0;
            assert!(grade_item(&b, it, &json!(format!("{frac}"))).unwrap().correct);
        }
    }

    fn dialogue_steps_are_graded_by_the_dialogue_grader() {
        let b = bank();
        let find = |id: &str| {
            // Build an item for this bank question through a quiz that holds it.
            for seed in 0..200u32 {
                let s = setup(seed, 20, 10);
                for p in 0..5 {
                    let q = draw::make_quiz(&b, &s, p).unwrap();
                    if let Some(it) = q.items.iter().find(|i| i.question == id) {
                        return it.clone();
                    }
                }
            }
            panic!("{id} never drawn");
        };
        let it = find("dialogue-apologize-thread");
        assert!(grade_item(&b, &it, &json!("您好，非常抱歉这件衬衫让您不满意，给您添麻烦了。")).unwrap().correct);
        // Traditional characters count.
        assert!(grade_item(&b, &it, &json!("您好，真的非常抱歉，給您添麻煩了。")).unwrap().correct);
        let r = grade_item(&b, &it, &json!("线头剪掉就行了，不影响穿。")).unwrap();
        assert!(!r.correct);
        assert!(r.feedback.iter().any(|f| f.starts_with('✗')));
        let it = find("dialogue-diagnose-size");
        assert!(grade_item(&b, &it, &json!("您平时穿多大码？是鞋长不够还是鞋面太紧呢？")).unwrap().correct);
        assert!(!grade_item(&b, &it, &json!("给您补偿5元红包吧。")).unwrap().correct);
        let it = find("dialogue-resolve-thread");
        assert!(grade_item(&b, &it, &json!("真的不好意思，我们给您补偿5元红包，或者给您换一件新的，您看可以吗？")).unwrap().correct);
        let it = find("dialogue-farewell-thread");
        assert!(grade_item(&b, &it, &json!(it.key.text.clone())).unwrap().correct);
        let r = grade_item(&b, &it, &json!("好的，再见。")).unwrap();
        assert!(!r.correct);
        // Blaming the buyer is a violation of the student's own turn.
        let it = find("dialogue-apologize-cup");
        let r = grade_item(&b, &it, &json!("抱歉，不过这是快递的问题，跟我们没关系。")).unwrap();
        assert!(!r.correct, "{:?}", r.feedback);
    }

    fn homework_is_graded_by_a_keyword_rubric_with_feedback() {
        let b = bank();
        let find = |id: &str| {
            for seed in 0..200u32 {
                let s = Setup::new(&b, seed, Settings { topics: vec!["homework".into()], count: 4, pass_mark: 2 }).unwrap();
                for p in 0..5 {
                    let q = draw::make_quiz(&b, &s, p).unwrap();
                    if let Some(it) = q.items.iter().find(|i| i.question == id) {
                        return it.clone();
                    }
                }
            }
            panic!("{id} never drawn");
        };
        let it = find("hw-benefits");
        let r = grade_item(&b, &it, &json!("评价管理有利于提升店铺的信用等级，还能实现商家和客户的共赢。")).unwrap();
        assert!(r.correct, "{:?}", r.feedback);
        assert!(r.feedback[0].contains("答到 2 / 3"));
        assert!(r.feedback.iter().any(|f| f.starts_with("✗ 没有答到")));
        // Traditional characters and running text.
        let r = grade_item(&b, &it, &json!("可以提升店鋪信譽，實現共贏")).unwrap();
        assert!(r.correct, "{:?}", r.feedback);
        let r = grade_item(&b, &it, &json!("我觉得很好。")).unwrap();
        assert!(!r.correct);
        let it = find("hw-methods");
        let ok = "要提升好评率；出现中差评要先分析原因，真诚道歉，和客户商定解决办法，最后记录下来。";
        assert!(grade_item(&b, &it, &json!(ok)).unwrap().correct);
        // A negated keyword does not count.
        let r = grade_item(&b, &it, &json!("不用道歉，也不用记录，提升好评率就行。")).unwrap();
        assert!(!r.correct, "{:?}", r.feedback);
        assert!(grade_item(&b, &it, &json!(it.key.text.clone())).unwrap().correct, "the model answer passes");
    }

    fn result_codes_round_trip_and_refuse_any_changed_character() {
        let s = setup(123_456, 8, 5);
        let rc = ResultCode { position: 3, correct: vec![true, false, true, true, false, true, true, false] };
        let c = rc.encode(&s);
        assert_eq!(c.len(), 10);
        assert!(c.chars().all(|ch| ALPHABET.contains(&(ch as u8))));
        assert_eq!(ResultCode::decode(&c, &s).unwrap(), rc);
        // Dashes, spaces and lower case are fine.
        let typed = code::pretty(&c).to_lowercase().replace('-', " - ");
        assert_eq!(ResultCode::decode(&typed, &s).unwrap(), rc);
        // Every single changed character is refused.
        for i in 0..c.len() {
            for &a in ALPHABET.iter() {
                let mut chars: Vec<char> = c.chars().collect();
                if chars[i] == a as char {
                    continue;
                }
                chars[i] = a as char;
                let bad: String = chars.into_iter().collect();
                let e = ResultCode::decode(&bad, &s).unwrap_err();
                assert_eq!(e.code, "bad_checksum", "{bad}");
            }
        }
        // Ambiguous characters and wrong lengths.
        assert_eq!(ResultCode::decode(&c.replacen(&c[..1], "0", 1), &s).unwrap_err().code, "bad_character");
        assert_eq!(ResultCode::decode(&c[..9], &s).unwrap_err().code, "bad_length");
        assert_eq!(ResultCode::decode("", &s).unwrap_err().code, "empty_code");
        // A code from another seed or other settings is foreign.
        let other = setup(654_321, 8, 5);
        assert_eq!(ResultCode::decode(&rc.encode(&other), &s).unwrap_err().code, "foreign_code");
        let other = setup(123_456, 8, 6);
        assert_eq!(ResultCode::decode(&rc.encode(&other), &s).unwrap_err().code, "foreign_code");
    }

    fn group_codes_carry_the_setup() {
        let s = Setup::new(&bank(), 987_654, Settings { topics: vec!["rules".into(), "homework".into()], count: 7, pass_mark: 4 }).unwrap();
        for p in 0..5u8 {
            let g = GroupCode { setup: s.clone(), position: p };
            let c = g.encode();
            assert_eq!(c.len(), 15);
            assert_eq!(GroupCode::decode(&c).unwrap(), g);
            for i in 0..c.len() {
                let mut chars: Vec<char> = c.chars().collect();
                chars[i] = if chars[i] == 'Z' { 'Y' } else { 'Z' };
                let bad: String = chars.into_iter().collect();
                assert!(GroupCode::decode(&bad).is_err(), "{bad}");
            }
        }
        assert_eq!(s.topic_ids(&bank()), vec!["rules".to_string(), "homework".to_string()]);
        // Seeds as text.
        for seed in [0u32, 1, 123_456, (1 << 30) - 1] {
            assert_eq!(code::parse_seed(&code::seed_text(seed)).unwrap(), seed);
        }
        assert_eq!(code::parse_seed("ABC").unwrap_err().code, "bad_seed");
    }

    fn a_whole_class_round_trip_and_its_csv() {
        let b = bank();
        let s = setup(2026, 6, 4);
        let names = groups(8);
        let picks = draw::draw_groups(&names, s.seed).unwrap();
        let mut outcomes = Vec::new();
        for (p, &gi) in picks.iter().enumerate() {
            let q = draw::make_quiz(&b, &s, p as u8).unwrap();
            // Group p answers the first (6 - p) questions right, the rest blank.
            let answers: Vec<Value> = (0..q.items.len())
                .map(|i| if i < 6 - p.min(6) { right_answer(&q, i) } else { Value::Null })
                .collect();
            let r = grade_quiz(&b, &s, &q, &answers).unwrap();
            assert_eq!(r.score, 6 - p, "group {p}: {:?}", r.items);
            let o = GroupOutcome::from_code(&s, &names[gi], p as u8, &r.code).unwrap();
            assert_eq!(o.score, r.score);
            assert_eq!(o.passed, r.passed);
            // A group's code entered for another group is refused.
            let e = GroupOutcome::from_code(&s, &names[gi], ((p + 1) % 5) as u8, &r.code).unwrap_err();
            assert_eq!(e.code, "wrong_group");
            outcomes.push(o);
        }
        let report = ClassReport::new(&s, outcomes);
        // Scores 6,5,4,3,2 with pass mark 4: three groups pass → 合格.
        assert_eq!(report.verdict.passed, 3);
        assert_eq!(report.verdict.label, "合格");
        assert!(report.complete);
        let text = csv::class_csv(&report);
        assert!(text.starts_with('\u{feff}'));
        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], format!("\"抽查种子\",\"{}\"", code::seed_text(2026)));
        assert!(lines[3].starts_with("\"抽查顺序\",\"小组\",\"结果码\",\"得分\",\"满分\",\"是否合格\",\"第1题\""));
        assert!(lines[4].starts_with(&format!("\"1\",\"{}\",", names[picks[0]])));
        assert!(lines[4].contains("\"6\",\"6\",\"合格\""));
        assert!(text.contains("\"班级评定\",\"合格\",\"合格组数\",\"3\""));
    }

    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv::field("=1+1"), "\"'=1+1\"");
        assert_eq!(csv::field("+86"), "\"'+86\"");
        assert_eq!(csv::field("-2"), "\"'-2\"");
        assert_eq!(csv::field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv::field("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(csv::field("a,b"), "\"a,b\"");
        assert_eq!(csv::field("第1组"), "\"第1组\"");
        let t = csv::to_csv(&[vec!["a".into(), "=HYPERLINK(\"x\")".into()], vec!["换行\n里".into()]]);
        assert_eq!(t, "\u{feff}\"a\",\"'=HYPERLINK(\"\"x\"\")\"\r\n\"换行\n里\"\r\n");
    }

    fn bad_input_gets_clear_chinese_errors_with_codes() {
        let e = draw::draw_groups(&groups(4), 1).unwrap_err();
        assert_eq!(e.code, "too_few_groups");
        assert!(e.message.contains("至少输入 5 个小组"), "{}", e.message);
        let mut g = groups(6);
        g[4] = " 第2组 ".into();
        let e = draw::draw_groups(&g, 1).unwrap_err();
        assert_eq!(e.code, "duplicate_group");
        assert_eq!(e.field.as_deref(), Some("groups[4]"));
        assert!(e.message.contains("第2组"));
        g[4] = "  ".into();
        assert_eq!(draw::draw_groups(&g, 1).unwrap_err().code, "empty_group_name");

        let e = Bank::from_json("").unwrap_err();
        assert_eq!(e.code, "empty_bank");
        let e = Bank::from_json("{\"id\": \"x\", ").unwrap_err();
        assert_eq!(e.code, "invalid_json");
        assert!(e.message.contains("第 1 行"));
        let mut v: Value = serde_json::from_str(&bank().to_json().unwrap()).unwrap();
        v["questions"] = json!([]);
        let e = Bank::from_value(v.clone()).unwrap_err();
        assert_eq!(e.code, "empty_bank");
        assert!(e.message.contains("没有题目"));
        v["questions"] = json!([{"type": "choice", "id": "c1", "topic": "rules", "difficulty": 1, "prompt": "?", "options": ["a", "b"]}]);
        let e = Bank::from_value(v.clone()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("questions[0].answer"), "{}", e.message);
        assert!(e.message.contains("缺少这个字段"));
        v["questions"] = json!([{"type": "choice", "id": "c1", "topic": "rules", "difficulty": 1, "prompt": "?", "options": ["a", "b"], "answer": 2}]);
        let e = Bank::from_value(v.clone()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("questions[0].answer"));
        v["questions"] = json!([{"type": "choice", "id": "c1", "topic": "nope", "difficulty": 1, "prompt": "?", "options": ["a", "b"], "answer": 0}]);
        assert_eq!(Bank::from_value(v.clone()).unwrap_err().field.as_deref(), Some("questions[0].topic"));
        v["questions"] = json!([{"type": "choice", "id": "c1", "topic": "rules", "difficulty": 1, "prompt": "?", "options": ["a", "b"], "answer": 0, "colour": 1}]);
        let e = Bank::from_value(v.clone()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("questions[0].colour"), "{}", e.message);
        v["questions"] = json!([{"type": "quiz", "id": "c1"}]);
        let e = Bank::from_value(v.clone()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("questions[0]"), "{}", e.message);
        assert!(e.message.contains("quiz"));
        v["questions"] = json!([{"type": "essay", "id": "e", "topic": "rules", "difficulty": 4, "prompt": "?", "points": [], "pass": 1, "example": "x"}]);
        assert_eq!(Bank::from_value(v.clone()).unwrap_err().field.as_deref(), Some("questions[0].difficulty"));

        // Too few questions for the count.
        let e = Setup::new(&bank(), 1, Settings { topics: vec!["homework".into()], count: 6, pass_mark: 3 }).unwrap_err();
        assert_eq!(e.code, "not_enough_questions");
        let e = Setup::new(&bank(), 1, Settings { topics: vec![], count: 6, pass_mark: 7 }).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("pass_mark"));
        // A quiz for another bank is refused on a device with this bank.
        let mut s = setup(5, 5, 3);
        s.bank ^= 1;
        assert_eq!(draw::make_quiz(&bank(), &s, 0).unwrap_err().code, "bank_mismatch");
    }

    fn every_model_answer_in_the_key_is_graded_right() {
        let b = bank();
        for seed in 0..10u32 {
            let s = setup(seed, 20, 10);
            for p in 0..5 {
                let q = draw::make_quiz(&b, &s, p).unwrap();
                let answers: Vec<Value> = (0..q.items.len()).map(|i| right_answer(&q, i)).collect();
                let r = grade_quiz(&b, &s, &q, &answers).unwrap();
                for (it, res) in q.items.iter().zip(&r.items) {
                    assert!(res.correct, "{} ({}): {:?}", it.question, it.key.text, res.feedback);
                }
            }
        }
    }

    fn a_teachers_own_questions_join_the_draw() {
        let mut v: Value = serde_json::from_str(&bank().to_json().unwrap()).unwrap();
        v["topics"].as_array_mut().unwrap().push(json!({"id": "mine", "name": "我的题"}));
        for i in 0..5 {
            v["questions"].as_array_mut().unwrap().push(json!({"type": "choice", "id": format!("mine-{i}"), "topic": "mine",
                "difficulty": 1, "prompt": format!("自编题 {i}"), "options": ["对", "错"], "answer": 0}));
        }
        let b = Bank::from_value(v).unwrap();
        assert_ne!(b.fingerprint(), bank().fingerprint());
        let s = Setup::new(&b, 8, Settings { topics: vec!["mine".into()], count: 1, pass_mark: 1 }).unwrap();
        let prompts: std::collections::BTreeSet<String> =
            (0..5).map(|p| draw::make_quiz(&b, &s, p).unwrap().items[0].prompt.clone()).collect();
        assert_eq!(prompts.len(), 5, "five groups, five different questions");
    }
}

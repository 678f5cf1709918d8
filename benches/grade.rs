//! Native timing of the dialogue grader: `cargo bench --bench grade`.
//! Prints microseconds per grade for a full five-step transcript (the browser
//! figure comes from `benchGradeDialogue` in the wasm build).

use std::hint::black_box;
use std::time::Instant;

use review_lab::dialogue::{grade, CaseRecord, Transcript, Turn};

fn transcript() -> Transcript {
    Transcript {
        scenario: "broken-cup-01".into(),
        turns: vec![
            Turn::buyer("又是你们？东西都碎了还好意思找我？"),
            Turn::agent("您好，实在对不起！杯子碎了肯定特别扫兴，换作是我也会很生气。"),
            Turn::buyer("道歉有什么用？东西都这样了。"),
            Turn::agent("能跟我说说当时收到的情况吗？是外箱破了还是里面的包装有问题？"),
            Turn::buyer("盒子里就垫了一层薄薄的泡沫，两只杯子碎了一只，玻璃渣撒了一盒子。"),
            Turn::agent("是我们包装没做好，非常抱歉。我们马上给您重新寄一只，用加厚气泡袋包好，再送您一个杯垫，您看可以吗？"),
            Turn::buyer("好吧，看你态度还行，就这样吧。"),
            Turn::agent("谢谢您给我们改进的机会！收到后如果满意，麻烦您帮忙把评价修改一下，祝您生活愉快！"),
            Turn::buyer("行，看在你这么诚恳的份上，我改。"),
        ],
        record: Some(CaseRecord {
            time: "2026-03-03 14:00".into(),
            customer: "xiaoyu_1998".into(),
            product: "双层玻璃咖啡杯".into(),
            model: "350ml 透明 两只装".into(),
            cause: "product".into(),
            detail: "包装单薄运输破碎".into(),
            process: "安抚-询问-重寄".into(),
            notes: "包装需加厚".into(),
        }),
        rubric: None,
    }
}

fn main() {
    let t = transcript();
    // warm up: loads the rubric, the scenario bank and the character table
    for _ in 0..50 {
        black_box(grade(black_box(&t), None).ok());
    }
    let n = 2000u32;
    let start = Instant::now();
    for _ in 0..n {
        black_box(grade(black_box(&t), None).ok());
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!(
        "grade: {per:.1} µs per full transcript ({} turns, native, {n} runs)",
        t.turns.len()
    );
}

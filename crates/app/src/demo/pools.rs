//! Name and place pools for the demo dataset: realistic, fictional, deterministic.
//!
//! Everything here is driven by [`Rng`], a tiny xorshift64* generator, so the demo
//! dataset is byte-for-byte the same on every machine and every run with the same seed.
//! The three organization trees are:
//!
//! - Vietnamese: Liên đoàn Lao động tỉnh Bến Tre, its district unions and grassroots unions;
//! - Persian: خانه کارگر استان مرکزی, its counties and workshop bases;
//! - Hindi: असंगठित कामगार कांग्रेस, उत्तर प्रदेश, its districts and blocks.

/// A small deterministic pseudo-random generator (xorshift64*), so the demo is the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Creates a generator from a seed. Any seed works, including 0: the seed is
    /// scrambled with the SplitMix64 finaliser and a zero state is never used.
    pub fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(if z == 0 { 0x9E37_79B9_7F4A_7C15 } else { z })
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`. Panics if `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below needs n > 0");
        // Multiply-high (Lemire) mapping: no modulo bias worth mentioning for demo data.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with the given probability in percent (0 is never, 100 or more is always).
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A uniformly chosen element. Panics if `items` is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Picks from a `(value, weight)` table proportionally to the weights.
fn weighted<'a, T>(rng: &mut Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
    let mut roll = rng.below(total);
    for (item, w) in items {
        let w = u64::from(*w);
        if roll < w {
            return item;
        }
        roll -= w;
    }
    &items[items.len() - 1].0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    Fa,
    Hi,
}

/// A generated person: the name as written in its own script, and a Latin transliteration
/// (None for Vietnamese, which is already Latin; Some for Persian and Hindi).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedName {
    pub full_name: String,
    pub latin_name: Option<String>,
    /// `"female"` or `"male"`.
    pub gender: &'static str,
}

// ---------------------------------------------------------------------------
// Vietnamese names
// ---------------------------------------------------------------------------

/// Surnames with weights per mille, roughly as in the Mekong delta (Huỳnh and Võ are
/// far more common in the south than Hoàng and Vũ).
const VI_SURNAMES: &[(&str, u32)] = &[
    ("Nguyễn", 350),
    ("Trần", 105),
    ("Lê", 90),
    ("Phạm", 60),
    ("Huỳnh", 55),
    ("Võ", 50),
    ("Phan", 45),
    ("Hoàng", 20),
    ("Trương", 20),
    ("Đặng", 18),
    ("Bùi", 18),
    ("Hồ", 18),
    ("Đỗ", 15),
    ("Ngô", 14),
    ("Dương", 12),
    ("Vũ", 12),
    ("Lý", 10),
    ("Đoàn", 8),
    ("Lâm", 8),
    ("Mai", 6),
    ("Châu", 6),
    ("Đinh", 6),
    ("Cao", 6),
    ("Lương", 5),
    ("Thái", 4),
    ("Tô", 4),
    ("Tạ", 3),
    ("Kiều", 3),
    ("Tăng", 3),
    ("La", 3),
];

const VI_MIDDLE_MALE: &[(&str, u32)] = &[
    ("Văn", 45),
    ("Minh", 10),
    ("Hữu", 8),
    ("Quốc", 8),
    ("Thanh", 8),
    ("Đức", 6),
    ("Tấn", 6),
    ("Công", 5),
    ("Hoàng", 4),
    ("Thành", 4),
    ("Trọng", 3),
    ("Duy", 3),
    ("Chí", 3),
    ("Ngọc", 2),
];

const VI_MIDDLE_FEMALE: &[(&str, u32)] = &[
    ("Thị", 45),
    ("Ngọc", 12),
    ("Kim", 8),
    ("Thanh", 8),
    ("Thu", 6),
    ("Mỹ", 5),
    ("Thùy", 4),
    ("Bích", 4),
    ("Hồng", 4),
    ("Phương", 3),
    ("Diễm", 2),
    ("Kiều", 2),
];

const VI_GIVEN_MALE: &[&str] = &[
    "An", "Bảo", "Bình", "Chiến", "Cường", "Danh", "Dũng", "Duy", "Đạt", "Định", "Đông", "Giàu",
    "Hải", "Hậu", "Hiếu", "Hòa", "Hùng", "Huy", "Khang", "Khánh", "Khoa", "Kiệt", "Lâm", "Lộc",
    "Lợi", "Long", "Luân", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Phước", "Quang",
    "Sang", "Sơn", "Tài", "Tâm", "Tân", "Thắng", "Thành", "Thiện", "Thịnh", "Toàn", "Trí", "Trung",
    "Tuấn", "Tùng", "Vinh", "Việt", "Vũ", "Út",
];

const VI_GIVEN_FEMALE: &[&str] = &[
    "Anh",
    "Ánh",
    "Bích",
    "Châu",
    "Chi",
    "Diễm",
    "Dung",
    "Duyên",
    "Đào",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Hương",
    "Hường",
    "Kiều",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Lụa",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nguyệt",
    "Nhi",
    "Nhung",
    "Oanh",
    "Phương",
    "Phượng",
    "Quyên",
    "Tâm",
    "Thảo",
    "Thắm",
    "Thủy",
    "Thúy",
    "Trang",
    "Trinh",
    "Tuyết",
    "Tươi",
    "Vân",
    "Xuân",
    "Yến",
];

// ---------------------------------------------------------------------------
// Persian names (Persian ی U+06CC and ک U+06A9; ZWNJ written as \u{200c})
// ---------------------------------------------------------------------------

const FA_GIVEN_MALE: &[(&str, &str)] = &[
    ("محمد", "Mohammad"),
    ("علی", "Ali"),
    ("حسین", "Hossein"),
    ("رضا", "Reza"),
    ("مهدی", "Mehdi"),
    ("امیر", "Amir"),
    ("حسن", "Hassan"),
    ("احمد", "Ahmad"),
    ("مجید", "Majid"),
    ("سعید", "Saeed"),
    ("جواد", "Javad"),
    ("مصطفی", "Mostafa"),
    ("ابراهیم", "Ebrahim"),
    ("اکبر", "Akbar"),
    ("عباس", "Abbas"),
    ("مرتضی", "Morteza"),
    ("مسعود", "Masoud"),
    ("محسن", "Mohsen"),
    ("حمید", "Hamid"),
    ("وحید", "Vahid"),
    ("علیرضا", "Alireza"),
    ("محمدرضا", "Mohammadreza"),
    ("امیرحسین", "Amirhossein"),
    ("یوسف", "Yousef"),
    ("اسماعیل", "Esmaeil"),
    ("داوود", "Davoud"),
    ("کریم", "Karim"),
    ("ناصر", "Naser"),
    ("منصور", "Mansour"),
    ("بهروز", "Behrouz"),
    ("فرهاد", "Farhad"),
    ("سجاد", "Sajjad"),
    ("میلاد", "Milad"),
    ("حامد", "Hamed"),
    ("هادی", "Hadi"),
    ("یاسر", "Yaser"),
    ("قاسم", "Ghasem"),
    ("صادق", "Sadegh"),
    ("نادر", "Nader"),
    ("رسول", "Rasoul"),
    ("بهزاد", "Behzad"),
    ("کامران", "Kamran"),
    ("مهران", "Mehran"),
    ("پرویز", "Parviz"),
    ("جعفر", "Jafar"),
    ("محمود", "Mahmoud"),
];

const FA_GIVEN_FEMALE: &[(&str, &str)] = &[
    ("فاطمه", "Fatemeh"),
    ("زهرا", "Zahra"),
    ("مریم", "Maryam"),
    ("زینب", "Zeinab"),
    ("معصومه", "Masoumeh"),
    ("سمیه", "Somayeh"),
    ("اعظم", "Azam"),
    ("طاهره", "Tahereh"),
    ("لیلا", "Leila"),
    ("نرگس", "Narges"),
    ("سکینه", "Sakineh"),
    ("رقیه", "Roghayeh"),
    ("مهناز", "Mahnaz"),
    ("شهلا", "Shahla"),
    ("پروین", "Parvin"),
    ("منیژه", "Manijeh"),
    ("الهام", "Elham"),
    ("نسرین", "Nasrin"),
    ("سارا", "Sara"),
    ("مینا", "Mina"),
    ("ریحانه", "Reyhaneh"),
    ("کبری", "Kobra"),
    ("صغری", "Soghra"),
    ("اکرم", "Akram"),
    ("زهره", "Zohreh"),
    ("فرشته", "Fereshteh"),
    ("شیرین", "Shirin"),
    ("ناهید", "Nahid"),
    ("مهری", "Mehri"),
    ("سیمین", "Simin"),
    ("آزاده", "Azadeh"),
    ("راضیه", "Razieh"),
    ("مرضیه", "Marzieh"),
    ("نفیسه", "Nafiseh"),
    ("سعیده", "Saeedeh"),
    ("حمیده", "Hamideh"),
    ("فریبا", "Fariba"),
    ("شهناز", "Shahnaz"),
    ("منیره", "Monireh"),
    ("هاجر", "Hajar"),
    ("صدیقه", "Sedigheh"),
    ("خدیجه", "Khadijeh"),
    ("فرزانه", "Farzaneh"),
    ("نازنین", "Nazanin"),
];

const FA_SURNAMES: &[(&str, &str)] = &[
    ("حسینی", "Hosseini"),
    ("محمدی", "Mohammadi"),
    ("احمدی", "Ahmadi"),
    ("رضایی", "Rezaei"),
    ("کریمی", "Karimi"),
    ("موسوی", "Mousavi"),
    ("جعفری", "Jafari"),
    ("قاسمی", "Ghasemi"),
    ("صادقی", "Sadeghi"),
    ("رحیمی", "Rahimi"),
    ("هاشمی", "Hashemi"),
    ("عباسی", "Abbasi"),
    ("حیدری", "Heidari"),
    ("نوری", "Nouri"),
    ("اکبری", "Akbari"),
    ("کاظمی", "Kazemi"),
    ("مرادی", "Moradi"),
    ("سلیمانی", "Soleimani"),
    ("زارعی", "Zarei"),
    ("قربانی", "Ghorbani"),
    ("نجفی", "Najafi"),
    ("امیری", "Amiri"),
    ("رستمی", "Rostami"),
    ("شریفی", "Sharifi"),
    ("یوسفی", "Yousefi"),
    ("ابراهیمی", "Ebrahimi"),
    ("باقری", "Bagheri"),
    ("طاهری", "Taheri"),
    ("عزیزی", "Azizi"),
    ("سلطانی", "Soltani"),
    ("فراهانی", "Farahani"),
    ("اراکی", "Araki"),
    ("ساوجی", "Saveji"),
    ("محلاتی", "Mahallati"),
    ("آشتیانی", "Ashtiani"),
    ("تفرشی", "Tafreshi"),
    ("کمیجانی", "Komijani"),
    ("جهانگیری", "Jahangiri"),
    ("بیات", "Bayat"),
    ("اسدی", "Asadi"),
    ("ملکی", "Maleki"),
    ("نظری", "Nazari"),
    ("صفری", "Safari"),
    ("کرمی", "Karami"),
    ("فتحی", "Fathi"),
    ("میرزایی", "Mirzaei"),
    ("خسروی", "Khosravi"),
    ("بهرامی", "Bahrami"),
    ("نصیری", "Nasiri"),
    ("کیانی", "Kiani"),
    ("انصاری", "Ansari"),
    ("طالبی", "Talebi"),
    ("امینی", "Amini"),
    ("رحمانی", "Rahmani"),
    ("غلامی", "Gholami"),
    ("دهقان", "Dehghan"),
    ("کشاورز", "Keshavarz"),
    ("آقایی", "Aghaei"),
    ("جمالی", "Jamali"),
    ("نوروزی", "Nowrouzi"),
    ("عبداللهی", "Abdollahi"),
    ("رضازاده", "Rezazadeh"),
    ("میرزاپور", "Mirzapour"),
    ("پورمحمدی", "Pourmohammadi"),
    ("محمدی\u{200c}نژاد", "Mohammadi-Nejad"),
    ("علی\u{200c}پور", "Alipour"),
    ("حسین\u{200c}زاده", "Hosseinzadeh"),
    ("حسن\u{200c}زاده", "Hassanzadeh"),
    ("قلی\u{200c}پور", "Gholipour"),
    ("نیک\u{200c}نام", "Niknam"),
    ("کریم\u{200c}خانی", "Karimkhani"),
    ("ولی\u{200c}زاده", "Valizadeh"),
    ("تقی\u{200c}زاده", "Taghizadeh"),
    ("حاجی\u{200c}زاده", "Hajizadeh"),
    ("اکبری\u{200c}نژاد", "Akbari-Nejad"),
    ("شاه\u{200c}حسینی", "Shah-Hosseini"),
    ("اسماعیل\u{200c}پور", "Esmaeilpour"),
    ("قاسم\u{200c}پور", "Ghasempour"),
    ("رضایی\u{200c}نیا", "Rezaei-Nia"),
];

// ---------------------------------------------------------------------------
// Hindi names
// ---------------------------------------------------------------------------

const HI_GIVEN_MALE: &[(&str, &str)] = &[
    ("राम", "Ram"),
    ("सुरेश", "Suresh"),
    ("राजेश", "Rajesh"),
    ("अनिल", "Anil"),
    ("सुनील", "Sunil"),
    ("मनोज", "Manoj"),
    ("संजय", "Sanjay"),
    ("विजय", "Vijay"),
    ("अजय", "Ajay"),
    ("राकेश", "Rakesh"),
    ("दिनेश", "Dinesh"),
    ("महेश", "Mahesh"),
    ("रमेश", "Ramesh"),
    ("मुकेश", "Mukesh"),
    ("प्रमोद", "Pramod"),
    ("विनोद", "Vinod"),
    ("अशोक", "Ashok"),
    ("संतोष", "Santosh"),
    ("राजू", "Raju"),
    ("मोहन", "Mohan"),
    ("श्याम", "Shyam"),
    ("गोपाल", "Gopal"),
    ("कृष्ण", "Krishna"),
    ("हरि", "Hari"),
    ("राजकुमार", "Rajkumar"),
    ("शिव", "Shiv"),
    ("धर्मेंद्र", "Dharmendra"),
    ("जितेंद्र", "Jitendra"),
    ("नरेंद्र", "Narendra"),
    ("सुरेंद्र", "Surendra"),
    ("वीरेंद्र", "Virendra"),
    ("रवि", "Ravi"),
    ("अमित", "Amit"),
    ("सचिन", "Sachin"),
    ("पंकज", "Pankaj"),
    ("दीपक", "Deepak"),
    ("राहुल", "Rahul"),
    ("अरविंद", "Arvind"),
    ("कमलेश", "Kamlesh"),
    ("बृजेश", "Brijesh"),
    ("लल्लन", "Lallan"),
    ("छोटेलाल", "Chhotelal"),
    ("बबलू", "Bablu"),
    ("रामप्रसाद", "Ramprasad"),
    ("रामचंद्र", "Ramchandra"),
    ("भोला", "Bhola"),
    ("मुन्ना", "Munna"),
    ("इरफ़ान", "Irfan"),
    ("सलीम", "Salim"),
    ("शकील", "Shakeel"),
];

const HI_GIVEN_FEMALE: &[(&str, &str)] = &[
    ("सुनीता", "Sunita"),
    ("गीता", "Geeta"),
    ("पूजा", "Pooja"),
    ("सीता", "Sita"),
    ("अनीता", "Anita"),
    ("सविता", "Savita"),
    ("कमला", "Kamla"),
    ("शांति", "Shanti"),
    ("रीता", "Rita"),
    ("ममता", "Mamta"),
    ("मीना", "Meena"),
    ("उषा", "Usha"),
    ("आशा", "Asha"),
    ("किरण", "Kiran"),
    ("लक्ष्मी", "Lakshmi"),
    ("सरिता", "Sarita"),
    ("बबीता", "Babita"),
    ("रेखा", "Rekha"),
    ("सुमन", "Suman"),
    ("निर्मला", "Nirmala"),
    ("कुसुम", "Kusum"),
    ("पुष्पा", "Pushpa"),
    ("संगीता", "Sangeeta"),
    ("रजनी", "Rajni"),
    ("नीलम", "Neelam"),
    ("प्रियंका", "Priyanka"),
    ("रानी", "Rani"),
    ("मंजू", "Manju"),
    ("सरोज", "Saroj"),
    ("राधा", "Radha"),
    ("गुड्डी", "Guddi"),
    ("फूलमती", "Phoolmati"),
    ("रामवती", "Ramvati"),
    ("शकुंतला", "Shakuntala"),
    ("कविता", "Kavita"),
    ("अंजू", "Anju"),
    ("ज्योति", "Jyoti"),
    ("माया", "Maya"),
    ("चंदा", "Chanda"),
    ("लीलावती", "Leelavati"),
    ("विमला", "Vimla"),
    ("उर्मिला", "Urmila"),
    ("शीला", "Sheela"),
    ("रूपा", "Rupa"),
    ("शबनम", "Shabnam"),
    ("रुखसाना", "Rukhsana"),
];

const HI_SURNAMES: &[(&str, &str)] = &[
    ("शर्मा", "Sharma"),
    ("वर्मा", "Verma"),
    ("यादव", "Yadav"),
    ("सिंह", "Singh"),
    ("कुमार", "Kumar"),
    ("गुप्ता", "Gupta"),
    ("मौर्य", "Maurya"),
    ("पटेल", "Patel"),
    ("वाल्मीकि", "Valmiki"),
    ("जाटव", "Jatav"),
    ("कश्यप", "Kashyap"),
    ("प्रजापति", "Prajapati"),
    ("निषाद", "Nishad"),
    ("पासवान", "Paswan"),
    ("बाल्मीकि", "Balmiki"),
    ("राजभर", "Rajbhar"),
    ("पाल", "Pal"),
    ("कुशवाहा", "Kushwaha"),
    ("लोधी", "Lodhi"),
    ("सोनकर", "Sonkar"),
    ("गौतम", "Gautam"),
    ("भारती", "Bharti"),
    ("चौहान", "Chauhan"),
    ("तिवारी", "Tiwari"),
    ("मिश्रा", "Mishra"),
    ("पांडेय", "Pandey"),
    ("दुबे", "Dubey"),
    ("श्रीवास्तव", "Srivastava"),
    ("शुक्ला", "Shukla"),
    ("त्रिपाठी", "Tripathi"),
    ("अंसारी", "Ansari"),
    ("खान", "Khan"),
    ("कुरैशी", "Qureshi"),
    ("सैनी", "Saini"),
    ("बिंद", "Bind"),
    ("रावत", "Rawat"),
    ("कोरी", "Kori"),
    ("चौरसिया", "Chaurasia"),
    ("विश्वकर्मा", "Vishwakarma"),
    ("साहू", "Sahu"),
    ("जायसवाल", "Jaiswal"),
    ("बघेल", "Baghel"),
    ("कनौजिया", "Kanaujia"),
    ("खरवार", "Kharwar"),
    ("मल्लाह", "Mallah"),
    ("रैदास", "Raidas"),
    ("दिवाकर", "Diwakar"),
    ("अहिरवार", "Ahirwar"),
];

/// Generates one person. Gender shares follow the membership the trees model:
/// Vietnamese grassroots unions are garment-heavy (mostly women), Iranian workshop
/// bases mostly men, Indian informal-sector unions roughly balanced.
pub fn person_name(rng: &mut Rng, lang: Lang) -> GeneratedName {
    let female_percent = match lang {
        Lang::Vi => 58,
        Lang::Fa => 25,
        Lang::Hi => 45,
    };
    let female = rng.chance(female_percent);
    let gender = if female { "female" } else { "male" };
    match lang {
        Lang::Vi => {
            let surname = weighted(rng, VI_SURNAMES);
            let (middles, givens) = if female {
                (VI_MIDDLE_FEMALE, VI_GIVEN_FEMALE)
            } else {
                (VI_MIDDLE_MALE, VI_GIVEN_MALE)
            };
            let middle = weighted(rng, middles);
            let mut given = rng.pick(givens);
            while given == middle {
                given = rng.pick(givens);
            }
            GeneratedName {
                full_name: format!("{surname} {middle} {given}"),
                latin_name: None,
                gender,
            }
        }
        Lang::Fa => {
            let givens = if female {
                FA_GIVEN_FEMALE
            } else {
                FA_GIVEN_MALE
            };
            let (given, given_latin) = rng.pick(givens);
            let (surname, surname_latin) = rng.pick(FA_SURNAMES);
            GeneratedName {
                full_name: format!("{given} {surname}"),
                latin_name: Some(format!("{given_latin} {surname_latin}")),
                gender,
            }
        }
        Lang::Hi => {
            let givens = if female {
                HI_GIVEN_FEMALE
            } else {
                HI_GIVEN_MALE
            };
            let (given, given_latin) = rng.pick(givens);
            // Many rural women are registered simply as "... देवी".
            let (surname, surname_latin) = if female && rng.chance(20) {
                ("देवी", "Devi")
            } else {
                match rng.pick(HI_SURNAMES) {
                    ("कुमार", _) if female => ("कुमारी", "Kumari"),
                    &(native, latin) => (native, latin),
                }
            };
            GeneratedName {
                full_name: format!("{given} {surname}"),
                latin_name: Some(format!("{given_latin} {surname_latin}")),
                gender,
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------

/// Viettel, Vinaphone and MobiFone mobile prefixes (weighted towards Viettel).
const VI_PHONE_PREFIXES: &[(&str, u32)] = &[
    ("090", 6),
    ("091", 7),
    ("093", 5),
    ("094", 5),
    ("096", 6),
    ("097", 8),
    ("098", 8),
    ("032", 4),
    ("033", 4),
    ("034", 4),
    ("035", 4),
    ("036", 4),
    ("037", 5),
    ("038", 4),
    ("039", 4),
];

/// MCI (0918 is the Markazi/western code), Irancell and Rightel prefixes.
const FA_PHONE_PREFIXES: &[(&str, u32)] = &[
    ("0918", 14),
    ("0912", 6),
    ("0913", 3),
    ("0916", 2),
    ("0919", 4),
    ("0935", 5),
    ("0936", 5),
    ("0937", 4),
    ("0938", 4),
    ("0939", 4),
    ("0901", 3),
    ("0902", 3),
    ("0903", 2),
    ("0930", 3),
    ("0933", 3),
    ("0990", 2),
    ("0991", 2),
    ("0921", 1),
];

const HI_PHONE_PREFIXES: &[(&str, u32)] = &[("9", 40), ("8", 25), ("7", 25), ("6", 10)];

/// Phone number in the country's usual mobile format, ASCII digits: Vietnam "09xxxxxxxx"/"03xxxxxxxx" (10 digits), Iran "09xxxxxxxxx" (11 digits), India "9xxxxxxxxx"/"7..."/"8..."/"6..." (10 digits).
pub fn phone(rng: &mut Rng, lang: Lang) -> String {
    let (prefixes, total_len) = match lang {
        Lang::Vi => (VI_PHONE_PREFIXES, 10),
        Lang::Fa => (FA_PHONE_PREFIXES, 11),
        Lang::Hi => (HI_PHONE_PREFIXES, 10),
    };
    let mut out = String::with_capacity(total_len);
    let &prefix = weighted(rng, prefixes);
    out.push_str(prefix);
    while out.len() < total_len {
        out.push(char::from(b'0' + rng.below(10) as u8));
    }
    out
}

// ---------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------

/// Static place data for the trees.
///
/// `name` is the bare place name in its own script (the caller adds "Công đoàn huyện",
/// "شهرستان" or "जिला"); the one exception is "Thành phố Bến Tre", which is a city,
/// not a district (huyện). `blocks` are `(code, name, latin)` and only used by the Hindi tree.
#[derive(Debug)]
pub struct District {
    pub code: &'static str,
    pub name: &'static str,
    pub latin: &'static str,
    pub blocks: &'static [(&'static str, &'static str, &'static str)],
}

/// The city and the eight districts of Bến Tre province.
pub const VI_DISTRICTS: &[District] = &[
    District {
        code: "BT-TP",
        name: "Thành phố Bến Tre",
        latin: "Ben Tre City",
        blocks: &[],
    },
    District {
        code: "BT-CT",
        name: "Châu Thành",
        latin: "Chau Thanh",
        blocks: &[],
    },
    District {
        code: "BT-CL",
        name: "Chợ Lách",
        latin: "Cho Lach",
        blocks: &[],
    },
    District {
        code: "BT-MCN",
        name: "Mỏ Cày Nam",
        latin: "Mo Cay Nam",
        blocks: &[],
    },
    District {
        code: "BT-MCB",
        name: "Mỏ Cày Bắc",
        latin: "Mo Cay Bac",
        blocks: &[],
    },
    District {
        code: "BT-GT",
        name: "Giồng Trôm",
        latin: "Giong Trom",
        blocks: &[],
    },
    District {
        code: "BT-BD",
        name: "Bình Đại",
        latin: "Binh Dai",
        blocks: &[],
    },
    District {
        code: "BT-BTR",
        name: "Ba Tri",
        latin: "Ba Tri",
        blocks: &[],
    },
    District {
        code: "BT-THP",
        name: "Thạnh Phú",
        latin: "Thanh Phu",
        blocks: &[],
    },
];

/// Counties (شهرستان) of Markazi province.
pub const FA_COUNTIES: &[District] = &[
    District {
        code: "MK-ARK",
        name: "اراک",
        latin: "Arak",
        blocks: &[],
    },
    District {
        code: "MK-SAV",
        name: "ساوه",
        latin: "Saveh",
        blocks: &[],
    },
    District {
        code: "MK-KHO",
        name: "خمین",
        latin: "Khomein",
        blocks: &[],
    },
    District {
        code: "MK-MAH",
        name: "محلات",
        latin: "Mahallat",
        blocks: &[],
    },
    District {
        code: "MK-DEL",
        name: "دلیجان",
        latin: "Delijan",
        blocks: &[],
    },
    District {
        code: "MK-SHZ",
        name: "شازند",
        latin: "Shazand",
        blocks: &[],
    },
    District {
        code: "MK-TAF",
        name: "تفرش",
        latin: "Tafresh",
        blocks: &[],
    },
    District {
        code: "MK-ASH",
        name: "آشتیان",
        latin: "Ashtian",
        blocks: &[],
    },
    District {
        code: "MK-KOM",
        name: "کمیجان",
        latin: "Komijan",
        blocks: &[],
    },
    District {
        code: "MK-ZAR",
        name: "زرندیه",
        latin: "Zarandieh",
        blocks: &[],
    },
];

/// Districts (जिला) of Uttar Pradesh with four development blocks (ब्लॉक) each.
pub const HI_DISTRICTS: &[District] = &[
    District {
        code: "UP-LKO",
        name: "लखनऊ",
        latin: "Lucknow",
        blocks: &[
            ("UP-LKO-MLB", "मलिहाबाद", "Malihabad"),
            ("UP-LKO-BKT", "बख्शी का तालाब", "Bakshi Ka Talab"),
            ("UP-LKO-MLG", "मोहनलालगंज", "Mohanlalganj"),
            ("UP-LKO-SRN", "सरोजनी नगर", "Sarojini Nagar"),
        ],
    },
    District {
        code: "UP-KNP",
        name: "कानपुर नगर",
        latin: "Kanpur Nagar",
        blocks: &[
            ("UP-KNP-BLH", "बिल्हौर", "Bilhaur"),
            ("UP-KNP-KLP", "कल्याणपुर", "Kalyanpur"),
            ("UP-KNP-GTP", "घाटमपुर", "Ghatampur"),
            ("UP-KNP-BDN", "बिधनू", "Bidhnu"),
        ],
    },
    District {
        code: "UP-VNS",
        name: "वाराणसी",
        latin: "Varanasi",
        blocks: &[
            ("UP-VNS-CRG", "चिरईगांव", "Chiraigaon"),
            ("UP-VNS-KVP", "काशी विद्यापीठ", "Kashi Vidyapeeth"),
            ("UP-VNS-PDR", "पिंडरा", "Pindra"),
            ("UP-VNS-SVP", "सेवापुरी", "Sevapuri"),
        ],
    },
    District {
        code: "UP-PRJ",
        name: "प्रयागराज",
        latin: "Prayagraj",
        blocks: &[
            ("UP-PRJ-PHP", "फूलपुर", "Phulpur"),
            ("UP-PRJ-SRV", "सोरांव", "Soraon"),
            ("UP-PRJ-KRC", "करछना", "Karchana"),
            ("UP-PRJ-MJA", "मेजा", "Meja"),
        ],
    },
    District {
        code: "UP-AGR",
        name: "आगरा",
        latin: "Agra",
        blocks: &[
            ("UP-AGR-ACH", "अछनेरा", "Achhnera"),
            ("UP-AGR-BCP", "बिचपुरी", "Bichpuri"),
            ("UP-AGR-ETP", "एत्मादपुर", "Etmadpur"),
            ("UP-AGR-FPS", "फतेहपुर सीकरी", "Fatehpur Sikri"),
        ],
    },
    District {
        code: "UP-GKP",
        name: "गोरखपुर",
        latin: "Gorakhpur",
        blocks: &[
            ("UP-GKP-CRW", "चरगांवा", "Chargawan"),
            ("UP-GKP-PPR", "पिपराइच", "Pipraich"),
            ("UP-GKP-SJW", "सहजनवां", "Sahjanwa"),
            ("UP-GKP-KHB", "खोराबार", "Khorabar"),
        ],
    },
    District {
        code: "UP-BRY",
        name: "बरेली",
        latin: "Bareilly",
        blocks: &[
            ("UP-BRY-BJP", "भोजीपुरा", "Bhojipura"),
            ("UP-BRY-BTC", "बिथरी चैनपुर", "Bithri Chainpur"),
            ("UP-BRY-FDP", "फरीदपुर", "Faridpur"),
            ("UP-BRY-NBG", "नवाबगंज", "Nawabganj"),
        ],
    },
    District {
        code: "UP-MRT",
        name: "मेरठ",
        latin: "Meerut",
        blocks: &[
            ("UP-MRT-DRL", "दौराला", "Daurala"),
            ("UP-MRT-HSP", "हस्तिनापुर", "Hastinapur"),
            ("UP-MRT-KKD", "खरखौदा", "Kharkhauda"),
            ("UP-MRT-SRD", "सरधना", "Sardhana"),
        ],
    },
];

// ---------------------------------------------------------------------------
// Enterprises
// ---------------------------------------------------------------------------

/// Enterprise / workshop names, realistic and fictional, in the tree's language, with an ISIC Rev.4 section+division code (e.g. "C14" garments, "C10" food, "C15" footwear, "C26" electronics, "P85" education, "Q86" health, "C24" basic metals, "C28" machinery, "F41" construction, "A01" agriculture) and a typical headcount range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnterpriseKind {
    pub sector: &'static str,
    pub min_headcount: u32,
    pub max_headcount: u32,
}

/// A family of workplace names. In `patterns`, `{b}` is replaced by a brand word,
/// `{p}` by a place word and `{n}` by either.
struct Template {
    kind: EnterpriseKind,
    patterns: &'static [&'static str],
}

const fn kind(sector: &'static str, min_headcount: u32, max_headcount: u32) -> EnterpriseKind {
    EnterpriseKind {
        sector,
        min_headcount,
        max_headcount,
    }
}

const VI_BRANDS: &[&str] = &[
    "Phú Thành",
    "Thành Công",
    "Hoàng Phát",
    "Minh Phú",
    "Tân Tiến",
    "Hưng Thịnh",
    "Việt Thắng",
    "Đại Phát",
    "Kim Long",
    "Thiên Phúc",
    "Mekong",
    "Sao Mai",
    "Phương Nam",
    "Tiến Đạt",
    "Hòa Bình",
    "An Khang",
    "Nam Tiến",
    "Phước Thịnh",
    "Vạn Lợi",
    "Trường Thịnh",
    "Đông Á",
    "Tân Phát",
    "Bảo Minh",
    "Gia Huy",
    "Hải Đăng",
    "Ba Lai",
    "Hàm Luông",
    "Cổ Chiên",
    "Xứ Dừa",
    "Đồng Khởi",
    "Nam Bộ",
    "Cửu Long",
    "Tây Nam",
    "Hồng Phát",
    "Quang Minh",
    "Nhật Tân",
    "Phú Gia",
    "Thuận Phát",
    "Lộc Phát",
    "Thái Bình Dương",
];

/// Communes and industrial parks of Bến Tre.
const VI_PLACES: &[&str] = &[
    "Lương Quới",
    "Phú Hưng",
    "Sơn Đông",
    "An Hiệp",
    "Tân Thạch",
    "Giao Long",
    "An Khánh",
    "Hữu Định",
    "Tiên Thủy",
    "Quới Sơn",
    "Vĩnh Thành",
    "Sơn Định",
    "Long Thới",
    "Hòa Nghĩa",
    "Phước Mỹ Trung",
    "Thanh Tân",
    "Tân Thành Bình",
    "Đa Phước Hội",
    "An Định",
    "Thành Thới",
    "Cẩm Sơn",
    "Châu Hòa",
    "Phong Nẫm",
    "Sơn Phú",
    "Lộc Thuận",
    "Thới Lai",
    "Phú Thuận",
    "Bảo Thạnh",
    "An Đức",
    "Tân Xuân",
    "An Thủy",
    "Giao Thạnh",
    "An Thạnh",
    "Thạnh Phong",
    "Mỹ Hưng",
    "Bình Thắng",
    "Thừa Đức",
    "Phú Túc",
];

const VI_TEMPLATES: &[(Template, u32)] = &[
    (
        Template {
            kind: kind("C14", 150, 3500),
            patterns: &[
                "Công ty TNHH May mặc {n}",
                "Công ty CP May {n}",
                "Công ty TNHH May xuất khẩu {n}",
                "Công ty CP Dệt may {b}",
                "Công ty TNHH MTV May {b}",
            ],
        },
        20,
    ),
    (
        Template {
            kind: kind("C10", 60, 1500),
            patterns: &[
                "Công ty CP Chế biến Dừa {n}",
                "Công ty TNHH Thực phẩm {b}",
                "Công ty TNHH Kẹo dừa {n}",
                "Công ty CP Chế biến Thủy sản {n}",
                "Công ty TNHH Xuất nhập khẩu Thủy sản {b}",
                "Công ty TNHH Thạch dừa {b}",
                "Công ty CP Chế biến Nông sản {n}",
            ],
        },
        22,
    ),
    (
        Template {
            kind: kind("C13", 30, 400),
            patterns: &[
                "Công ty TNHH Chỉ xơ dừa {n}",
                "Công ty TNHH Thảm xơ dừa {b}",
                "Công ty CP Sợi dừa {n}",
            ],
        },
        8,
    ),
    (
        Template {
            kind: kind("C15", 400, 5000),
            patterns: &[
                "Công ty TNHH Giày da {b}",
                "Công ty TNHH Da giày {b}",
                "Công ty CP Giày {b}",
                "Công ty TNHH Túi xách {b}",
            ],
        },
        8,
    ),
    (
        Template {
            kind: kind("C26", 200, 3000),
            patterns: &[
                "Công ty TNHH Điện tử {b}",
                "Công ty TNHH Linh kiện Điện tử {b}",
                "Công ty CP Công nghệ {b}",
            ],
        },
        6,
    ),
    (
        Template {
            kind: kind("P85", 20, 120),
            patterns: &[
                "Trường Mầm non {p}",
                "Trường Tiểu học {p}",
                "Trường THCS {p}",
                "Trường THPT {p}",
            ],
        },
        10,
    ),
    (
        Template {
            kind: kind("Q86", 120, 900),
            patterns: &["Bệnh viện Đa khoa {b}", "Bệnh viện Đa khoa khu vực {p}"],
        },
        4,
    ),
    (
        Template {
            kind: kind("Q86", 8, 60),
            patterns: &["Phòng khám Đa khoa {b}", "Trạm Y tế xã {p}"],
        },
        4,
    ),
    (
        Template {
            kind: kind("A01", 15, 150),
            patterns: &[
                "Hợp tác xã Nông nghiệp {p}",
                "Hợp tác xã Dừa hữu cơ {p}",
                "Hợp tác xã Bưởi da xanh {p}",
                "Hợp tác xã Cây giống {p}",
                "Công ty TNHH Nông nghiệp {b}",
            ],
        },
        9,
    ),
    (
        Template {
            kind: kind("F41", 30, 400),
            patterns: &[
                "Công ty TNHH Xây dựng {b}",
                "Công ty CP Xây dựng {b}",
                "Công ty CP Đầu tư Xây dựng {b}",
            ],
        },
        8,
    ),
];

const FA_BRANDS: &[&str] = &[
    "پارس",
    "آریا",
    "نوین",
    "البرز",
    "الوند",
    "زاگرس",
    "سهند",
    "کاوه",
    "تابان",
    "پیشرو",
    "آذر",
    "مهر",
    "صبا",
    "امید",
    "کوثر",
    "نگین",
    "سپهر",
    "آفتاب",
    "ستاره",
    "بهمن",
    "شهاب",
    "رازی",
    "فردوس",
    "آرمان",
    "پویا",
    "نیکان",
    "سینا",
    "ایرانیان",
    "مرکزی",
    "فراهان",
];

/// Towns and industrial areas of Markazi province.
const FA_PLACES: &[&str] = &[
    "اراک",
    "ساوه",
    "خمین",
    "محلات",
    "دلیجان",
    "شازند",
    "تفرش",
    "آشتیان",
    "کمیجان",
    "زرندیه",
    "خنداب",
    "مامونیه",
    "نراق",
    "آستانه",
    "مهاجران",
    "کارچان",
    "ساروق",
];

const FA_TEMPLATES: &[(Template, u32)] = &[
    (
        Template {
            kind: kind("C28", 300, 3000),
            patterns: &[
                "شرکت ماشین\u{200c}سازی {n}",
                "شرکت صنایع ماشین\u{200c}آلات کشاورزی {b}",
                "کارخانه تجهیزات صنعتی {b} {p}",
                "شرکت مهندسی و ساخت تجهیزات {b}",
            ],
        },
        14,
    ),
    (
        Template {
            kind: kind("C29", 100, 1200),
            patterns: &[
                "شرکت قطعه\u{200c}سازی {b} {p}",
                "شرکت قطعه\u{200c}سازی خودرو {b}",
                "شرکت تولید لوازم یدکی {b}",
            ],
        },
        10,
    ),
    (
        Template {
            kind: kind("C24", 200, 4000),
            patterns: &[
                "شرکت آلومینیوم {n}",
                "شرکت نورد و لوله {b}",
                "شرکت ریخته\u{200c}گری {b} {p}",
                "شرکت فولاد {n}",
                "مجتمع ذوب و ریخته\u{200c}گری {b}",
            ],
        },
        14,
    ),
    (
        Template {
            kind: kind("C10", 60, 800),
            patterns: &[
                "کارخانه قند {p}",
                "شرکت صنایع غذایی {b}",
                "شرکت لبنیات {b} {p}",
                "کارخانه روغن نباتی {b}",
                "شرکت تولیدی کمپوت و کنسرو {b}",
            ],
        },
        12,
    ),
    (
        Template {
            kind: kind("C23", 80, 900),
            patterns: &[
                "کارخانه سیمان {p}",
                "شرکت کاشی و سرامیک {n}",
                "کارخانه شیشه {b}",
                "شرکت آجر ماشینی {b} {p}",
            ],
        },
        10,
    ),
    (
        Template {
            kind: kind("C20", 150, 2000),
            patterns: &[
                "شرکت پتروشیمی {b}",
                "شرکت صنایع شیمیایی {b} {p}",
                "شرکت رنگ\u{200c}سازی {b}",
            ],
        },
        7,
    ),
    (
        Template {
            kind: kind("C13", 40, 600),
            patterns: &[
                "کارخانه ریسندگی و بافندگی {b}",
                "شرکت فرش ماشینی {b} {p}",
                "کارگاه قالی\u{200c}بافی {b} {p}",
            ],
        },
        8,
    ),
    (
        Template {
            kind: kind("F41", 30, 500),
            patterns: &[
                "شرکت ساختمانی {b} {p}",
                "شرکت انبوه\u{200c}سازان {b}",
                "شرکت راه و ساختمان {b} {p}",
            ],
        },
        9,
    ),
    (
        Template {
            kind: kind("Q86", 80, 700),
            patterns: &["بیمارستان {b} {p}", "درمانگاه تأمین اجتماعی {p}"],
        },
        5,
    ),
    (
        Template {
            kind: kind("A01", 20, 300),
            patterns: &[
                "شرکت کشت و صنعت {b} {p}",
                "شرکت دامپروری {b} {p}",
                "مجتمع گلخانه\u{200c}ای {b}",
            ],
        },
        7,
    ),
];

const HI_BRANDS: &[&str] = &[
    "श्री राम",
    "जय माँ दुर्गा",
    "शिव शक्ति",
    "बजरंग",
    "गणेश",
    "लक्ष्मी",
    "साईं",
    "हनुमान",
    "जय भवानी",
    "महावीर",
    "न्यू इंडिया",
    "भारत",
    "गंगा",
    "यमुना",
    "सरस्वती",
    "अंसारी",
    "गुप्ता",
    "यादव",
    "वर्मा",
    "कुरैशी",
    "अवध",
    "पूर्वांचल",
    "रोहिलखंड",
    "काशी",
    "संगम",
    "ताज",
    "गोमती",
    "राप्ती",
    "सूर्या",
    "किसान",
    "नवयुग",
    "प्रगति",
    "उन्नति",
    "आदर्श",
    "एकता",
    "जनता",
    "कृष्णा",
    "मां वैष्णो",
];

/// Villages, towns and industrial areas in the eight districts.
const HI_PLACES: &[&str] = &[
    "मलिहाबाद",
    "काकोरी",
    "चिनहट",
    "बिल्हौर",
    "घाटमपुर",
    "पनकी",
    "जाजमऊ",
    "लोहता",
    "बजरडीहा",
    "मदनपुरा",
    "नैनी",
    "फूलपुर",
    "हंडिया",
    "सिकंदरा",
    "ताजगंज",
    "बोदला",
    "गीडा",
    "सहजनवां",
    "पिपराइच",
    "फतेहगंज",
    "सीबीगंज",
    "परतापुर",
    "सूरजकुंड",
    "दौराला",
    "मवाना",
    "सरधना",
    "मोहनलालगंज",
    "सेवापुरी",
    "अछनेरा",
    "भोजीपुरा",
];

const HI_TEMPLATES: &[(Template, u32)] = &[
    (
        Template {
            kind: kind("C23", 30, 250),
            patterns: &[
                "{b} ईंट भट्ठा, {p}",
                "{b} ईंट उद्योग",
                "{b} ब्रिक फील्ड, {p}",
                "{b} टेराकोटा शिल्प केंद्र, {p}",
            ],
        },
        16,
    ),
    (
        Template {
            kind: kind("F41", 20, 500),
            patterns: &[
                "{b} कंस्ट्रक्शन कंपनी",
                "{b} बिल्डर्स एंड डेवलपर्स, {p}",
                "{b} इंफ्रा प्राइवेट लिमिटेड",
                "{b} कंस्ट्रक्शन, {p} साइट",
            ],
        },
        16,
    ),
    (
        Template {
            kind: kind("C13", 10, 300),
            patterns: &[
                "{b} कालीन उद्योग",
                "{b} हथकरघा बुनकर सहकारी समिति, {p}",
                "{b} बनारसी साड़ी उद्योग",
                "{b} जरी-जरदोजी केंद्र, {p}",
                "{b} पावरलूम, {p}",
            ],
        },
        14,
    ),
    (
        Template {
            kind: kind("C14", 15, 300),
            patterns: &[
                "{b} चिकनकारी केंद्र, {p}",
                "{b} होजरी मिल्स",
                "{b} गारमेंट्स, {p}",
                "{b} सिलाई केंद्र, {p}",
            ],
        },
        10,
    ),
    (
        Template {
            kind: kind("C15", 50, 1500),
            patterns: &[
                "{b} शू कंपनी",
                "{b} जूता उद्योग, {p}",
                "{b} लेदर वर्क्स",
                "{b} फुटवियर प्राइवेट लिमिटेड",
                "{b} टेनरी, {p}",
            ],
        },
        10,
    ),
    (
        Template {
            kind: kind("C10", 10, 150),
            patterns: &[
                "{b} दाल मिल",
                "{b} आटा मिल, {p}",
                "{b} राइस मिल",
                "{b} तेल मिल, {p}",
                "{b} गुड़ उद्योग, {p}",
                "{b} बेकरी",
            ],
        },
        10,
    ),
    (
        Template {
            kind: kind("C32", 20, 400),
            patterns: &["{b} स्पोर्ट्स, {p}", "{b} खेल उद्योग"],
        },
        5,
    ),
    (
        Template {
            kind: kind("A01", 10, 100),
            patterns: &[
                "{b} कृषि फार्म, {p}",
                "{b} डेयरी फार्म",
                "{b} नर्सरी, {p}",
                "{b} आम बागान, {p}",
            ],
        },
        9,
    ),
    (
        Template {
            kind: kind("P85", 5, 40),
            patterns: &[
                "प्राथमिक विद्यालय {p}",
                "उच्च प्राथमिक विद्यालय {p}",
                "कंपोजिट विद्यालय {p}",
                "{b} पब्लिक स्कूल, {p}",
            ],
        },
        5,
    ),
    (
        Template {
            kind: kind("Q86", 15, 150),
            patterns: &[
                "सामुदायिक स्वास्थ्य केंद्र {p}",
                "प्राथमिक स्वास्थ्य केंद्र {p}",
                "{b} हॉस्पिटल, {p}",
                "{b} नर्सिंग होम",
            ],
        },
        5,
    ),
];

/// Fills `{b}`, `{p}` and `{n}` in a pattern.
fn fill(rng: &mut Rng, pattern: &str, brands: &[&str], places: &[&str]) -> String {
    let mut out = pattern.to_owned();
    if out.contains("{b}") {
        let &brand = rng.pick(brands);
        out = out.replacen("{b}", brand, 1);
    }
    if out.contains("{p}") {
        let &place = rng.pick(places);
        out = out.replacen("{p}", place, 1);
    }
    if out.contains("{n}") {
        let word = if rng.chance(50) {
            rng.pick(brands)
        } else {
            rng.pick(places)
        };
        out = out.replacen("{n}", word, 1);
    }
    out
}

/// Returns (name, kind). Names must be varied: combine prefixes, product words and place/brand words so that 200 calls give mostly distinct names.
pub fn enterprise(rng: &mut Rng, lang: Lang) -> (String, EnterpriseKind) {
    let (templates, brands, places) = match lang {
        Lang::Vi => (VI_TEMPLATES, VI_BRANDS, VI_PLACES),
        Lang::Fa => (FA_TEMPLATES, FA_BRANDS, FA_PLACES),
        Lang::Hi => (HI_TEMPLATES, HI_BRANDS, HI_PLACES),
    };
    let template = weighted(rng, templates);
    let pattern = rng.pick(template.patterns);
    (fill(rng, pattern, brands, places), template.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const LANGS: [Lang; 3] = [Lang::Vi, Lang::Fa, Lang::Hi];

    #[test]
    fn rng_is_deterministic() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut c = Rng::new(43);
        let mut d = Rng::new(42);
        let differ = (0..10).any(|_| c.next_u64() != d.next_u64());
        assert!(differ, "different seeds should give different sequences");
    }

    #[test]
    fn seed_zero_works() {
        let mut rng = Rng::new(0);
        let values: HashSet<u64> = (0..100).map(|_| rng.next_u64()).collect();
        assert!(values.len() > 95);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(7);
        for n in [1, 2, 3, 7, 10, 100, 1000, u64::MAX / 3, u64::MAX] {
            for _ in 0..2000 {
                assert!(rng.below(n) < n);
            }
        }
        let mut seen = [false; 10];
        for _ in 0..1000 {
            seen[rng.below(10) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn chance_extremes() {
        let mut rng = Rng::new(1);
        for _ in 0..1000 {
            assert!(!rng.chance(0));
            assert!(rng.chance(100));
        }
    }

    #[test]
    fn pools_are_large_enough() {
        assert!(VI_GIVEN_MALE.len() >= 40);
        assert!(VI_GIVEN_FEMALE.len() >= 40);
        assert!(FA_GIVEN_MALE.len() >= 40);
        assert!(FA_GIVEN_FEMALE.len() >= 40);
        assert!(FA_SURNAMES.len() >= 60);
        assert!(HI_GIVEN_MALE.len() >= 40);
        assert!(HI_GIVEN_FEMALE.len() >= 40);
        assert!(HI_SURNAMES.len() >= 40);
    }

    #[test]
    fn nguyen_share_is_realistic() {
        let mut rng = Rng::new(2024);
        let total = 2000;
        let nguyen = (0..total)
            .filter(|_| {
                person_name(&mut rng, Lang::Vi)
                    .full_name
                    .starts_with("Nguyễn ")
            })
            .count();
        let percent = nguyen * 100 / total;
        assert!((25..=45).contains(&percent), "Nguyễn share {percent}%");
    }

    #[test]
    fn names_are_well_formed() {
        let mut rng = Rng::new(99);
        for lang in LANGS {
            let mut distinct = HashSet::new();
            for _ in 0..1000 {
                let name = person_name(&mut rng, lang);
                assert!(name.gender == "female" || name.gender == "male");
                assert!(name.full_name.split(' ').count() >= 2);
                match (lang, &name.latin_name) {
                    (Lang::Vi, None) => {}
                    (Lang::Fa | Lang::Hi, Some(latin)) => {
                        assert!(latin.is_ascii(), "{latin}");
                        assert!(!latin.is_empty());
                    }
                    _ => panic!("unexpected transliteration for {lang:?}: {name:?}"),
                }
                distinct.insert(name.full_name);
            }
            assert!(distinct.len() > 500, "{lang:?}: {}", distinct.len());
        }
    }

    #[test]
    fn enterprise_names_are_varied() {
        for lang in LANGS {
            let mut rng = Rng::new(5);
            let mut names = HashSet::new();
            for _ in 0..200 {
                let (name, kind) = enterprise(&mut rng, lang);
                assert!(!name.contains('{'), "unfilled pattern: {name}");
                assert!(kind.min_headcount > 0 && kind.min_headcount <= kind.max_headcount);
                assert_eq!(kind.sector.len(), 3);
                assert!(kind.sector.starts_with(|c: char| c.is_ascii_uppercase()));
                assert!(kind.sector[1..].bytes().all(|b| b.is_ascii_digit()));
                names.insert(name);
            }
            assert!(
                names.len() >= 150,
                "{lang:?}: only {} distinct",
                names.len()
            );
        }
    }

    #[test]
    fn place_codes_are_unique() {
        let mut codes = HashSet::new();
        for district in VI_DISTRICTS.iter().chain(FA_COUNTIES).chain(HI_DISTRICTS) {
            assert!(codes.insert(district.code), "duplicate {}", district.code);
            assert!(district.latin.is_ascii());
            for (code, _, latin) in district.blocks {
                assert!(code.starts_with(district.code));
                assert!(latin.is_ascii());
                assert!(codes.insert(code), "duplicate {code}");
            }
        }
        for code in &codes {
            assert!(code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'));
        }
        assert!(HI_DISTRICTS
            .iter()
            .all(|d| (3..=4).contains(&d.blocks.len())));
    }

    #[test]
    fn phones_match_country_formats() {
        let mut rng = Rng::new(11);
        for _ in 0..1000 {
            let vi = phone(&mut rng, Lang::Vi);
            assert_eq!(vi.len(), 10, "{vi}");
            assert!(vi.starts_with("09") || vi.starts_with("03"), "{vi}");
            assert!(vi.bytes().all(|b| b.is_ascii_digit()));

            let fa = phone(&mut rng, Lang::Fa);
            assert_eq!(fa.len(), 11, "{fa}");
            assert!(fa.starts_with("09"), "{fa}");
            assert!(fa.bytes().all(|b| b.is_ascii_digit()));

            let hi = phone(&mut rng, Lang::Hi);
            assert_eq!(hi.len(), 10, "{hi}");
            assert!(matches!(hi.as_bytes()[0], b'6'..=b'9'), "{hi}");
            assert!(hi.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn persian_uses_persian_letters() {
        let arabic = |s: &str| s.contains('\u{64A}') || s.contains('\u{643}');
        let mut rng = Rng::new(3);
        for _ in 0..1000 {
            let name = person_name(&mut rng, Lang::Fa);
            assert!(!arabic(&name.full_name), "{}", name.full_name);
            let (workshop, _) = enterprise(&mut rng, Lang::Fa);
            assert!(!arabic(&workshop), "{workshop}");
        }
        assert!(FA_COUNTIES.iter().all(|c| !arabic(c.name)));
    }

    #[test]
    fn zwnj_surnames_transliterate() {
        let (native, latin) = FA_SURNAMES
            .iter()
            .find(|(_, latin)| *latin == "Mohammadi-Nejad")
            .copied()
            .unwrap_or_default();
        assert_eq!(native, "محمدی\u{200c}نژاد");
        assert_eq!(latin, "Mohammadi-Nejad");
    }
}

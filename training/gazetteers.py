"""Names and number formats the generator draws from, written for this project.

Places are grouped by region with the currency marker styles used there, so that a
generated release about Kerala quotes rupees and one about Lagos quotes naira.
"""

REGIONS = {
    "china": {
        "places": ["Harbin", "Chengdu", "Kunming", "Hefei", "Xiamen", "Nanning", "Lanzhou",
                   "Guiyang", "Taiyuan", "Hohhot", "Zhuhai", "Wenzhou", "Yantai", "Luoyang",
                   "Heilongjiang Province", "Sichuan Province", "Yunnan", "Anhui", "Gansu",
                   "Guangxi", "Inner Mongolia", "Shanxi", "Fujian", "Shandong"],
        "country": "China",
        "currency": [("{n} {s} yuan", "words"), ("RMB {n} {s}", "code"), ("CN¥{n} {s}", "sym"),
                     ("{n} {s} yuan ({approx} US${u} {s2})", "conv")],
        "agencies": ["Xinhua", "China News Service", "Xinhua Silk Road", "PRNewswire"],
        "bodies": ["{p} Municipal Bureau of Commerce", "{p} Investment Promotion Bureau",
                   "Department of Commerce of {p}", "{p} Municipal People's Government"],
        "companies": ["Zhongda Logistics Group", "Huaxin Power Equipment", "Tianrun New Energy",
                      "Jinwei Pharmaceutical", "Longhai Port Group", "Xingye Cold Chain"],
    },
    "india": {
        "places": ["Pune", "Lucknow", "Bhubaneswar", "Coimbatore", "Indore", "Visakhapatnam",
                   "Gujarat", "Odisha", "Kerala", "Telangana", "Madhya Pradesh", "Assam"],
        "country": "India",
        "currency": [("Rs {n} crore", "crore"), ("₹{n} crore", "crore"), ("INR {n} {s}", "code"),
                     ("₹{n} lakh crore", "lakhcrore"), ("Rs {n} {s}", "code")],
        "agencies": ["PTI", "IANS", "Business Wire India", "PRNewswire"],
        "bodies": ["{p} Industrial Development Corporation", "Invest {p}",
                   "{p} Department of Industries", "{p} Chamber of Commerce"],
        "companies": ["Suryoday Steel", "Kaveri Textiles", "Navbharat Solar", "Deccan Agro Foods",
                      "Sahyadri Motors", "Ganga Chemicals"],
    },
    "gulf": {
        "places": ["Dubai", "Abu Dhabi", "Sharjah", "Riyadh", "Jeddah", "Dammam", "Doha",
                   "Muscat", "Manama", "Kuwait City", "Saudi Arabia", "Oman", "Qatar"],
        "country": "United Arab Emirates",
        "currency": [("AED {n} {s}", "code"), ("SAR {n} {s}", "code"), ("SR{n} {s}", "sym"),
                     ("{n} {s} riyals", "words"), ("QAR {n} {s}", "code"),
                     ("{n} {s} dirhams", "words")],
        "agencies": ["WAM", "SPA", "QNA", "Business Wire"],
        "bodies": ["{p} Chamber", "{p} Department of Economy and Tourism",
                   "Ministry of Investment", "{p} Free Zone Authority"],
        "companies": ["Al Noor Industries", "Gulf Basalt Holding", "Rimal Logistics",
                      "Najm Desalination", "Sadeem Foods", "Khaleej Steel"],
    },
    "africa": {
        "places": ["Lagos", "Abuja", "Kano", "Nairobi", "Mombasa", "Kampala", "Dar es Salaam",
                   "Johannesburg", "Durban", "Accra", "Kigali", "Nigeria", "Kenya", "Uganda"],
        "country": "Nigeria",
        "currency": [("₦{n} {s}", "sym"), ("N{n}{s_short}", "glued"), ("{n} {s} naira", "words"),
                     ("KSh {n} {s}", "code"), ("Sh{n} {s}", "sym"), ("R{n} {s}", "glued"),
                     ("{n} {s} rand", "words")],
        "agencies": ["NAN", "KNA", "APO Group", "PRNewswire"],
        "bodies": ["{p} Investment Promotion Authority", "{p} Chamber of Commerce and Industry",
                   "Ministry of Trade and Industry", "{p} State Government"],
        "companies": ["Zuma Agro Processing", "Savannah Cement", "Kilimo Foods", "Ubuntu Power",
                      "Delta Fertilisers", "Baobab Logistics"],
    },
    "europe": {
        "places": ["Lyon", "Porto", "Gdansk", "Hamburg", "Milan", "Valencia", "Rotterdam",
                   "Manchester", "Glasgow", "Poland", "Portugal", "Italy", "Germany"],
        "country": "Germany",
        "currency": [("€{n} {s}", "sym"), ("€{n}{s_short}", "glued"), ("EUR {n} {s}", "code"),
                     ("£{n} {s}", "sym"), ("{n} {s} euros", "words"), ("£{n}{s_short}", "glued")],
        "agencies": ["GlobeNewswire", "Business Wire", "PRNewswire", "ANSA"],
        "bodies": ["{p} Chamber of Commerce", "{p} Investment Agency",
                   "Ministry of Economic Affairs", "{p} City Council"],
        "companies": ["Nordwerk Maschinenbau", "Iberia Renewables", "Baltic Cargo Lines",
                      "Alpenhof Foods", "Meridian Biotech", "Vistula Components"],
    },
    "americas": {
        "places": ["Toronto", "Houston", "Monterrey", "Sao Paulo", "Bogota", "Vancouver",
                   "Atlanta", "Santiago", "Ontario", "Texas", "Mexico", "Brazil", "Chile"],
        "country": "United States",
        "currency": [("${n} {s}", "sym"), ("US${n} {s}", "sym"), ("C${n} {s}", "sym"),
                     ("${n}{s_short}", "glued"), ("USD {n} {s}", "code"),
                     ("{n} {s} U.S. dollars", "words")],
        "agencies": ["Business Wire", "PRNewswire", "GlobeNewswire", "Canadian Press"],
        "bodies": ["{p} Economic Development Council", "{p} Chamber of Commerce",
                   "Department of Commerce", "{p} Trade Office"],
        "companies": ["Northstar Aerospace", "Cascadia Timber", "Pampa Lithium",
                      "Gulfport Chemicals", "Maple Ridge Foods", "Andes Copper"],
    },
    "sea": {
        "places": ["Hanoi", "Da Nang", "Ho Chi Minh City", "Penang", "Johor", "Chiang Mai",
                   "Bangkok", "Surabaya", "Cebu", "Vietnam", "Malaysia", "Thailand"],
        "country": "Vietnam",
        "currency": [("VND {n} {s}", "code"), ("{n} {s} dong", "words"), ("RM{n} {s}", "sym"),
                     ("{n} {s} ringgit", "words"), ("{n} {s} baht", "words"),
                     ("THB {n} {s}", "code")],
        "agencies": ["VNA", "Bernama", "Antara", "PRNewswire"],
        "bodies": ["{p} Department of Planning and Investment", "{p} Investment Authority",
                   "{p} Board of Investment", "{p} People's Committee"],
        "companies": ["Saigon Seafood", "Lotus Electronics", "Mekong Agri", "Straits Packaging",
                      "Andaman Rubber", "Halong Shipbuilding"],
    },
}

EVENT_TOPICS = [
    "International Investment and Trade", "Green Food", "Investment Promotion", "Export",
    "Industrial Cooperation", "Digital Economy", "Agribusiness Investment", "Renewable Energy",
    "Cross-Border E-commerce", "Logistics and Supply Chain", "Manufacturing", "Tourism Investment",
    "Bio-economy", "Mining and Minerals", "Halal Industry", "Infrastructure Investment",
]
EVENT_TYPES = ["Fair", "Expo", "Summit", "Forum", "Conference", "Convention", "Trade Week",
               "Investment Forum", "Business Summit", "Trade Fair", "Exhibition"]
ORDINALS = ["2nd", "3rd", "5th", "7th", "9th", "11th", "14th", "18th", "21st", "26th"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
          "Nov.", "Dec."]
SIGNED_NOUNS = ["projects", "agreements", "contracts", "deals", "MoUs", "investment projects",
                "cooperation projects", "purchase agreements", "memoranda of understanding"]
SIGNED_VERBS = ["signed", "inked", "sealed", "concluded", "reached"]
PEOPLE_NOUNS = ["exhibitors", "companies", "enterprises", "delegates", "buyers", "visitors",
                "investors", "countries and regions"]
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten", 12: "twelve", 15: "fifteen", 20: "twenty", 30: "thirty",
                40: "forty", 52: "fifty-two", 64: "sixty-four", 100: "one hundred"}
APPROXIMATORS = ["more than", "over", "about", "nearly", "around", "approximately", "up to"]
SCALES = [("billion", "bn"), ("million", "m")]

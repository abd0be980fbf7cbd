"""The built-in tags: everyday categories people look for in their photos, and their prompts.

Each category has a stable ``name`` (the key stored in the catalog, English, lower-case), the
noun ``phrase`` that goes into the prompts, its Simplified Chinese name (for the Chinese
interface) and, for settings, times and occasions, ``where``: the phrase that places something
in it ("on the beach", "at night"), which ``core.tagging.describe`` uses to compose descriptions
such as "a dog on the beach at sunset".

Prompts: a tag's text vector is the mean of its phrase put into several templates (CLIP's
zero-shot "prompt ensembling"), chosen from OpenAI CLIP's ImageNet ensemble for what personal
photos look like (bright, dark, blurry, cropped, close, "itap": I took a picture). Two changes:

- phrases carry their own article ("a dog", "the beach", "flowers"), so the templates have
  none: plurals, mass nouns and a person's own tag ("my red bike") read as English;
- templates suit the kind of thing: a close-up or a cropped photo "of the beach" is a photo of
  sand, so places and times (``SCENE``) drop the framing templates and add a wide-angle one;
  occasions (``EVENT``) are photographed *at* ("a photo taken at a wedding", "a photo of people
  at a wedding"); kinds of photo (``STYLE``: black and white, panorama) describe the picture
  itself, so their phrase is the whole description, averaged over what it may show.

Changing anything here changes ``Vocabulary.digest``: the tag vectors are then computed again
(``core.tagging.prompts`` caches them by it) and the library is tagged again.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from enum import Enum

# OpenAI's templates for objects, articles moved into the phrase (see the module's text).
THING = (
    "a photo of {}.",
    "a good photo of {}.",
    "a bad photo of {}.",
    "itap of {}.",
    "a close-up photo of {}.",
    "a bright photo of {}.",
    "a dark photo of {}.",
    "a blurry photo of {}.",
    "a cropped photo of {}.",
    "a low resolution photo of {}.",
)
SCENE = (
    "a photo of {}.",
    "a good photo of {}.",
    "a bad photo of {}.",
    "itap of {}.",
    "a bright photo of {}.",
    "a dark photo of {}.",
    "a blurry photo of {}.",
    "a low resolution photo of {}.",
    "a wide-angle photo of {}.",
)
EVENT = (
    "a photo of {}.",
    "a photo taken at {}.",
    "a photo of people at {}.",
    "a good photo taken at {}.",
    "a bad photo taken at {}.",
    "a bright photo taken at {}.",
    "a dark photo taken at {}.",
    "a blurry photo taken at {}.",
)
STYLE = (
    "{}.",
    "{} of a person.",
    "{} of a place.",
    "{} of an object.",
    "{} of an animal.",
    "{} of a street.",
)
# What a person's own tag is put into: it names a thing as often as a place.
CUSTOM = THING


class Role(Enum):
    """How a category composes in a description: "a {subject} {where of a setting or time}"."""

    SUBJECT = "subject"  # people, animals, food, things
    SETTING = "setting"  # a place: "on the beach", "in a kitchen"
    OCCASION = "occasion"  # "at a birthday party"
    TIME = "time"  # time of day, season, weather: "at night", "in the snow"
    STYLE = "style"  # the kind of photo: never composed


@dataclass(frozen=True)
class Category:
    name: str
    phrase: str
    zh: str
    templates: tuple[str, ...]
    role: Role
    where: str | None = None  # "on the beach": settings, occasions and times only
    custom: bool = False

    def prompts(self) -> list[str]:
        return [template.format(self.phrase) for template in self.templates]


@dataclass(frozen=True)
class Vocabulary:
    categories: tuple[Category, ...]
    custom_templates: tuple[str, ...] = CUSTOM  # what a person's own phrases are put into

    def __post_init__(self) -> None:
        names = [c.name for c in self.categories]
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"tag names used twice: {twice}")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.categories]

    @property
    def digest(self) -> str:
        """Changes whenever a tag's name, prompts or role changes."""
        h = hashlib.blake2b(digest_size=12)
        h.update("\x1f".join(self.custom_templates).encode() + b"\x1e")
        for c in self.categories:
            h.update("\x1f".join([c.name, c.role.value, c.where or "", *c.prompts()]).encode())
            h.update(b"\x1e")
        return h.hexdigest()

    def get(self, name: str) -> Category | None:
        return self._by_name().get(name)

    def _by_name(self) -> dict[str, Category]:
        found = self.__dict__.get("_index")
        if found is None:
            found = {c.name: c for c in self.categories}
            object.__setattr__(self, "_index", found)
        return found


def tag_name(text: str) -> str:
    """The key a tag is known by: ``text`` with its spaces collapsed, lower case ("My  Red
    Bike" -> "my red bike")."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def custom_category(phrase: str, templates: tuple[str, ...] = CUSTOM) -> Category:
    """A person's own tag, embedded from the phrase as typed."""
    phrase = " ".join(phrase.split())
    return Category(tag_name(phrase), phrase, "", templates, Role.SUBJECT, custom=True)


# -- the built-in vocabulary -----------------------------------------------------------------
# Rows: (name, phrase, Chinese name) for subjects and styles; (name, phrase, Chinese name,
# where) for settings, occasions and times.

_PEOPLE = [
    ("people", "people", "人物"),
    ("selfie", "a selfie", "自拍"),
    ("group photo", "a group photo of people", "合影"),
    ("portrait", "a portrait of a person", "人像"),
    ("baby", "a baby", "婴儿"),
    ("child", "a child", "儿童"),
    ("kids playing", "kids playing", "孩子玩耍"),
    ("teenager", "a teenager", "青少年"),
    ("man", "a man", "男人"),
    ("woman", "a woman", "女人"),
    ("couple", "a couple", "情侣"),
    ("family", "a family", "家人"),
    ("friends", "friends together", "朋友"),
    ("elderly person", "an elderly person", "老人"),
    ("crowd", "a crowd of people", "人群"),
    ("face", "a face", "脸"),
    ("smile", "a smiling person", "笑容"),
    ("hands", "hands", "手"),
    ("athlete", "an athlete", "运动员"),
    ("dancer", "a dancer", "舞者"),
    ("musician", "a musician playing an instrument", "乐手"),
    ("bride", "a bride", "新娘"),
    ("costume", "a person in costume", "装扮"),
    ("tattoo", "a tattoo", "纹身"),
    ("sleeping", "a sleeping person", "睡觉"),
]

_ANIMALS = [
    ("dog", "a dog", "狗"),
    ("puppy", "a puppy", "小狗"),
    ("cat", "a cat", "猫"),
    ("kitten", "a kitten", "小猫"),
    ("bird", "a bird", "鸟"),
    ("parrot", "a parrot", "鹦鹉"),
    ("chicken", "a chicken", "鸡"),
    ("duck", "a duck", "鸭子"),
    ("swan", "a swan", "天鹅"),
    ("pigeon", "a pigeon", "鸽子"),
    ("seagull", "a seagull", "海鸥"),
    ("owl", "an owl", "猫头鹰"),
    ("peacock", "a peacock", "孔雀"),
    ("flamingo", "a flamingo", "火烈鸟"),
    ("penguin", "a penguin", "企鹅"),
    ("horse", "a horse", "马"),
    ("cow", "a cow", "牛"),
    ("sheep", "a sheep", "绵羊"),
    ("goat", "a goat", "山羊"),
    ("pig", "a pig", "猪"),
    ("rabbit", "a rabbit", "兔子"),
    ("hamster", "a hamster", "仓鼠"),
    ("squirrel", "a squirrel", "松鼠"),
    ("deer", "a deer", "鹿"),
    ("fox", "a fox", "狐狸"),
    ("bear", "a bear", "熊"),
    ("panda", "a panda", "熊猫"),
    ("monkey", "a monkey", "猴子"),
    ("elephant", "an elephant", "大象"),
    ("giraffe", "a giraffe", "长颈鹿"),
    ("zebra", "a zebra", "斑马"),
    ("lion", "a lion", "狮子"),
    ("tiger", "a tiger", "老虎"),
    ("kangaroo", "a kangaroo", "袋鼠"),
    ("camel", "a camel", "骆驼"),
    ("fish", "a fish", "鱼"),
    ("goldfish", "goldfish in a fish tank", "金鱼"),
    ("dolphin", "a dolphin", "海豚"),
    ("whale", "a whale", "鲸鱼"),
    ("jellyfish", "a jellyfish", "水母"),
    ("crab", "a crab", "螃蟹"),
    ("turtle", "a turtle", "乌龟"),
    ("snake", "a snake", "蛇"),
    ("lizard", "a lizard", "蜥蜴"),
    ("frog", "a frog", "青蛙"),
    ("butterfly", "a butterfly", "蝴蝶"),
    ("bee", "a bee", "蜜蜂"),
    ("insect", "an insect", "昆虫"),
    ("spider", "a spider", "蜘蛛"),
]

_FOOD = [
    ("food", "food", "美食"),
    ("meal", "a meal on a plate", "饭菜"),
    ("breakfast", "breakfast", "早餐"),
    ("cake", "a cake", "蛋糕"),
    ("birthday cake", "a birthday cake with candles", "生日蛋糕"),
    ("pizza", "a pizza", "披萨"),
    ("burger", "a burger", "汉堡"),
    ("sandwich", "a sandwich", "三明治"),
    ("salad", "a salad", "沙拉"),
    ("soup", "a bowl of soup", "汤"),
    ("noodles", "noodles", "面条"),
    ("ramen", "a bowl of ramen", "拉面"),
    ("rice", "a bowl of rice", "米饭"),
    ("sushi", "sushi", "寿司"),
    ("dumplings", "dumplings", "饺子"),
    ("hot pot", "a hot pot", "火锅"),
    ("barbecue", "barbecue on a grill", "烧烤"),
    ("steak", "a steak", "牛排"),
    ("seafood", "seafood", "海鲜"),
    ("pasta", "pasta", "意大利面"),
    ("bread", "bread", "面包"),
    ("dessert", "a dessert", "甜点"),
    ("ice cream", "ice cream", "冰淇淋"),
    ("cookies", "cookies", "饼干"),
    ("chocolate", "chocolate", "巧克力"),
    ("mooncake", "mooncakes", "月饼"),
    ("fruit", "fruit", "水果"),
    ("vegetables", "vegetables", "蔬菜"),
    ("street food", "street food", "街头小吃"),
    ("coffee", "a cup of coffee", "咖啡"),
    ("tea", "a cup of tea", "茶"),
    ("bubble tea", "bubble tea", "奶茶"),
    ("wine", "a glass of wine", "葡萄酒"),
    ("beer", "a glass of beer", "啤酒"),
    ("cocktail", "a cocktail", "鸡尾酒"),
    ("juice", "a glass of juice", "果汁"),
]

_PLANTS = [
    ("flowers", "flowers", "花"),
    ("rose", "a rose", "玫瑰"),
    ("tulip", "tulips", "郁金香"),
    ("sunflower", "a sunflower", "向日葵"),
    ("cherry blossom", "cherry blossoms", "樱花"),
    ("lotus", "a lotus flower", "荷花"),
    ("orchid", "an orchid", "兰花"),
    ("tree", "a tree", "树"),
    ("autumn leaves", "autumn leaves", "红叶"),
    ("cactus", "a cactus", "仙人掌"),
    ("houseplant", "a potted plant", "盆栽"),
    ("mushroom", "a mushroom", "蘑菇"),
]

_VEHICLES = [
    ("car", "a car", "汽车"),
    ("sports car", "a sports car", "跑车"),
    ("truck", "a truck", "卡车"),
    ("bus", "a bus", "公交车"),
    ("taxi", "a taxi", "出租车"),
    ("motorcycle", "a motorcycle", "摩托车"),
    ("bicycle", "a bicycle", "自行车"),
    ("scooter", "a scooter", "电动车"),
    ("train", "a train", "火车"),
    ("subway train", "a subway train", "地铁"),
    ("tram", "a tram", "有轨电车"),
    ("airplane", "an airplane", "飞机"),
    ("helicopter", "a helicopter", "直升机"),
    ("boat", "a boat", "船"),
    ("sailboat", "a sailboat", "帆船"),
    ("ship", "a ship", "轮船"),
    ("kayak", "a kayak", "皮划艇"),
    ("tractor", "a tractor", "拖拉机"),
    ("rocket", "a rocket", "火箭"),
    ("hot air balloon", "a hot air balloon", "热气球"),
]

_THINGS = [
    ("phone", "a phone", "手机"),
    ("laptop", "a laptop", "笔记本电脑"),
    ("computer", "a computer", "电脑"),
    ("television", "a television", "电视"),
    ("camera", "a camera", "相机"),
    ("book", "a book", "书"),
    ("bookshelf", "a bookshelf", "书架"),
    ("toy", "toys", "玩具"),
    ("teddy bear", "a teddy bear", "泰迪熊"),
    ("lego", "lego bricks", "乐高"),
    ("gift", "a wrapped gift", "礼物"),
    ("balloons", "balloons", "气球"),
    ("candles", "candles", "蜡烛"),
    ("sofa", "a sofa", "沙发"),
    ("bed", "a bed", "床"),
    ("clock", "a clock", "钟"),
    ("watch", "a wristwatch", "手表"),
    ("shoes", "shoes", "鞋子"),
    ("clothes", "clothes", "衣服"),
    ("dress", "a dress", "连衣裙"),
    ("hat", "a hat", "帽子"),
    ("glasses", "glasses", "眼镜"),
    ("bag", "a bag", "包"),
    ("jewelry", "jewelry", "珠宝"),
    ("umbrella", "an umbrella", "雨伞"),
    ("guitar", "a guitar", "吉他"),
    ("piano", "a piano", "钢琴"),
    ("painting", "a painting", "画作"),
    ("sculpture", "a sculpture", "雕塑"),
    ("statue", "a statue", "雕像"),
    ("flag", "a flag", "旗帜"),
    ("lantern", "red lanterns", "灯笼"),
    ("christmas tree", "a christmas tree", "圣诞树"),
    ("pumpkin", "a pumpkin", "南瓜"),
    ("tools", "tools", "工具"),
    ("keys", "keys", "钥匙"),
    ("bottle", "a bottle", "瓶子"),
]

_ACTIVITIES = [
    ("soccer", "people playing soccer", "足球"),
    ("basketball", "people playing basketball", "篮球"),
    ("tennis", "people playing tennis", "网球"),
    ("golf", "people playing golf", "高尔夫"),
    ("swimming", "people swimming", "游泳"),
    ("surfing", "a surfer on a wave", "冲浪"),
    ("skiing", "people skiing", "滑雪"),
    ("snowboarding", "a snowboarder", "单板滑雪"),
    ("skateboarding", "a skateboarder", "滑板"),
    ("cycling", "people riding bicycles", "骑行"),
    ("running", "people running", "跑步"),
    ("hiking", "people hiking on a trail", "徒步"),
    ("climbing", "a rock climber", "攀岩"),
    ("yoga", "people doing yoga", "瑜伽"),
    ("fishing", "people fishing", "钓鱼"),
    ("camping", "a tent at a campsite", "露营"),
    ("horse riding", "people riding horses", "骑马"),
    ("dancing", "people dancing", "跳舞"),
    ("cooking", "people cooking", "做饭"),
    ("reading", "a person reading", "阅读"),
]

_NATURE = [
    ("beach", "the beach", "海滩", "on the beach"),
    ("ocean", "the ocean", "大海", "by the sea"),
    ("waves", "ocean waves", "海浪", "by the waves"),
    ("coast", "a rocky coast", "海岸", "on the coast"),
    ("island", "an island", "岛屿", "on an island"),
    ("mountain", "mountains", "山", "in the mountains"),
    ("snowy mountain", "snowy mountains", "雪山", "in the snowy mountains"),
    ("hill", "green hills", "山丘", "on a hill"),
    ("valley", "a valley", "山谷", "in a valley"),
    ("lake", "a lake", "湖", "by a lake"),
    ("river", "a river", "河", "by a river"),
    ("waterfall", "a waterfall", "瀑布", "by a waterfall"),
    ("forest", "a forest", "森林", "in a forest"),
    ("jungle", "a jungle", "丛林", "in the jungle"),
    ("desert", "a desert", "沙漠", "in the desert"),
    ("field", "a field", "田野", "in a field"),
    ("meadow", "a meadow with grass", "草地", "on the grass"),
    ("farm", "a farm", "农场", "on a farm"),
    ("countryside", "the countryside", "乡村", "in the countryside"),
    ("rice terraces", "rice terraces", "梯田", "by rice terraces"),
    ("canyon", "a canyon", "峡谷", "in a canyon"),
    ("cave", "a cave", "洞穴", "in a cave"),
    ("volcano", "a volcano", "火山", "by a volcano"),
    ("glacier", "a glacier", "冰川", "on a glacier"),
    ("cliff", "a cliff", "悬崖", "on a cliff"),
    ("park", "a park", "公园", "in a park"),
    ("garden", "a garden", "花园", "in a garden"),
    ("sky", "the sky", "天空", "under the sky"),
    ("clouds", "clouds in the sky", "云", "under the clouds"),
    ("rainbow", "a rainbow", "彩虹", "under a rainbow"),
    ("starry sky", "a starry night sky", "星空", "under the stars"),
    ("moon", "the moon", "月亮", "under the moon"),
    ("underwater", "an underwater scene", "水下", "underwater"),
]

_CITY = [
    ("city", "a city", "城市", "in a city"),
    ("street", "a city street", "街道", "on a street"),
    ("skyline", "a city skyline", "天际线", "in front of a skyline"),
    ("skyscraper", "skyscrapers", "摩天大楼", "among skyscrapers"),
    ("building", "a building", "建筑", "in front of a building"),
    ("house", "a house", "房子", "in front of a house"),
    ("village", "a village", "村庄", "in a village"),
    ("old town", "an old town", "老城", "in an old town"),
    ("alley", "a narrow alley", "小巷", "in an alley"),
    ("market", "a market", "市场", "at a market"),
    ("shop", "a shop", "商店", "in a shop"),
    ("shopping mall", "a shopping mall", "商场", "in a shopping mall"),
    ("supermarket", "a supermarket", "超市", "in a supermarket"),
    ("restaurant", "a restaurant", "餐厅", "in a restaurant"),
    ("cafe", "a cafe", "咖啡馆", "in a cafe"),
    ("bar", "a bar", "酒吧", "in a bar"),
    ("hotel room", "a hotel room", "酒店房间", "in a hotel room"),
    ("airport", "an airport", "机场", "at the airport"),
    ("train station", "a train station", "火车站", "at a train station"),
    ("subway station", "a subway station", "地铁站", "in a subway station"),
    ("parking lot", "a parking lot", "停车场", "in a parking lot"),
    ("road", "a road", "道路", "on a road"),
    ("highway", "a highway", "公路", "on a highway"),
    ("bridge", "a bridge", "桥", "on a bridge"),
    ("tunnel", "a tunnel", "隧道", "in a tunnel"),
    ("harbor", "a harbor with boats", "港口", "at a harbor"),
    ("lighthouse", "a lighthouse", "灯塔", "by a lighthouse"),
    ("castle", "a castle", "城堡", "at a castle"),
    ("palace", "a palace", "宫殿", "at a palace"),
    ("tower", "a tower", "塔", "by a tower"),
    ("church", "a church", "教堂", "at a church"),
    ("cathedral", "a cathedral", "大教堂", "in a cathedral"),
    ("mosque", "a mosque", "清真寺", "at a mosque"),
    ("temple", "a temple", "寺庙", "at a temple"),
    ("pagoda", "a pagoda", "宝塔", "by a pagoda"),
    ("shrine", "a shrine", "神社", "at a shrine"),
    ("ruins", "ancient ruins", "遗迹", "among ruins"),
    ("monument", "a monument", "纪念碑", "by a monument"),
    ("museum", "a museum", "博物馆", "in a museum"),
    ("art gallery", "an art gallery", "美术馆", "in an art gallery"),
    ("library", "a library", "图书馆", "in a library"),
    ("stadium", "a stadium", "体育场", "in a stadium"),
    ("school", "a school", "学校", "at school"),
    ("classroom", "a classroom", "教室", "in a classroom"),
    ("office", "an office", "办公室", "in an office"),
    ("hospital", "a hospital", "医院", "in a hospital"),
    ("construction site", "a construction site", "工地", "at a construction site"),
    ("factory", "a factory", "工厂", "in a factory"),
    ("amusement park", "an amusement park", "游乐园", "at an amusement park"),
    ("zoo", "a zoo", "动物园", "at the zoo"),
    ("aquarium", "an aquarium", "水族馆", "at an aquarium"),
    ("swimming pool", "a swimming pool", "游泳池", "at the pool"),
    ("gym", "a gym", "健身房", "in a gym"),
    ("playground", "a playground", "游乐场", "at a playground"),
]

_HOME = [
    ("living room", "a living room", "客厅", "in the living room"),
    ("kitchen", "a kitchen", "厨房", "in the kitchen"),
    ("bedroom", "a bedroom", "卧室", "in the bedroom"),
    ("bathroom", "a bathroom", "浴室", "in the bathroom"),
    ("dining table", "a dining table", "餐桌", "at the dining table"),
    ("balcony", "a balcony", "阳台", "on a balcony"),
    ("backyard", "a backyard", "后院", "in the backyard"),
    ("car interior", "the inside of a car", "车内", "in a car"),
    ("window view", "the view from a window", "窗外", "by a window"),
]

_TIMES = [
    ("night", "a night scene", "夜晚", "at night"),
    ("sunset", "a sunset", "日落", "at sunset"),
    ("sunrise", "a sunrise", "日出", "at sunrise"),
    ("golden hour", "warm evening light", "黄昏", "in the evening light"),
    ("snow", "snow", "雪", "in the snow"),
    ("rain", "rain", "雨", "in the rain"),
    ("fog", "fog", "雾", "in the fog"),
    ("storm", "a storm", "暴风雨", "in a storm"),
    ("lightning", "lightning", "闪电", "under lightning"),
    ("spring", "spring blossoms", "春天", "in spring"),
    ("summer", "a sunny summer day", "夏天", "on a summer day"),
    ("autumn", "autumn colours", "秋天", "in autumn"),
    ("winter", "a winter scene", "冬天", "in winter"),
]

_OCCASIONS = [
    ("birthday", "a birthday party", "生日", "at a birthday party"),
    ("wedding", "a wedding", "婚礼", "at a wedding"),
    ("christmas", "christmas", "圣诞节", "at christmas"),
    ("new year", "a new year celebration", "新年", "at new year"),
    ("chinese new year", "chinese new year", "春节", "at chinese new year"),
    ("mid-autumn festival", "the mid-autumn festival", "中秋节", "at the mid-autumn festival"),
    ("halloween", "halloween", "万圣节", "at halloween"),
    ("easter", "easter", "复活节", "at easter"),
    ("thanksgiving", "thanksgiving dinner", "感恩节", "at thanksgiving"),
    ("party", "a party", "派对", "at a party"),
    ("dinner with friends", "a dinner with friends", "聚餐", "at a dinner"),
    ("picnic", "a picnic", "野餐", "at a picnic"),
    ("concert", "a concert", "音乐会", "at a concert"),
    ("festival", "a festival", "节日", "at a festival"),
    ("parade", "a parade", "游行", "at a parade"),
    ("fireworks", "fireworks", "烟花", "under fireworks"),
    ("graduation", "a graduation ceremony", "毕业典礼", "at a graduation"),
    ("conference", "a conference", "会议", "at a conference"),
    ("meeting", "a business meeting", "开会", "in a meeting"),
    ("sports match", "a sports match", "体育比赛", "at a sports match"),
    ("performance", "a stage performance", "演出", "at a show"),
    ("theater", "a theater", "剧院", "at the theater"),
]

_DOCUMENTS = [
    ("document", "a document", "文档"),
    ("receipt", "a receipt", "收据"),
    ("invoice", "an invoice", "发票"),
    ("screenshot", "a screenshot", "截图"),
    ("whiteboard", "a whiteboard", "白板"),
    ("slide", "a presentation slide", "幻灯片"),
    ("handwriting", "handwriting", "手写"),
    ("map", "a map", "地图"),
    ("menu", "a menu", "菜单"),
    ("sign", "a sign", "标牌"),
    ("poster", "a poster", "海报"),
    ("ticket", "a ticket", "票"),
    ("boarding pass", "a boarding pass", "登机牌"),
    ("id card", "an id card", "证件"),
    ("passport", "a passport", "护照"),
    ("business card", "a business card", "名片"),
    ("letter", "a letter", "信件"),
    ("book page", "a page of a book", "书页"),
    ("chart", "a chart", "图表"),
    ("qr code", "a qr code", "二维码"),
    ("form", "a paper form", "表格"),
    ("calendar", "a calendar", "日历"),
    ("newspaper", "a newspaper", "报纸"),
    ("label", "a product label", "标签"),
    ("chat", "a chat conversation on a phone", "聊天记录"),
    ("computer screen", "a computer screen", "屏幕"),
    ("code", "computer code on a screen", "代码"),
]

_STYLES = [
    ("black and white", "a black and white photo", "黑白"),
    ("panorama", "a panoramic photo", "全景"),
    ("aerial view", "an aerial photo", "航拍"),
    ("macro", "a macro photo", "微距"),
    ("long exposure", "a long exposure photo", "长曝光"),
    ("silhouette", "a silhouette photo", "剪影"),
    ("reflection", "a photo with a reflection", "倒影"),
    ("bokeh", "a photo with a blurred background", "背景虚化"),
    ("vintage", "an old vintage photo", "老照片"),
    ("blurry", "a blurry photo", "模糊"),
    ("drawing", "a drawing", "绘画"),
    ("cartoon", "a cartoon", "卡通"),
    ("meme", "a meme", "表情包"),
]


def _subjects(rows: list[tuple[str, str, str]], templates: tuple[str, ...]) -> list[Category]:
    return [Category(n, p, zh, templates, Role.SUBJECT) for n, p, zh in rows]


def _placed(
    rows: list[tuple[str, str, str, str]], templates: tuple[str, ...], role: Role
) -> list[Category]:
    return [Category(n, p, zh, templates, role, where) for n, p, zh, where in rows]


BUILT_IN = Vocabulary(
    tuple(
        _subjects(_PEOPLE, THING)
        + _subjects(_ANIMALS, THING)
        + _subjects(_FOOD, THING)
        + _subjects(_PLANTS, THING)
        + _subjects(_VEHICLES, THING)
        + _subjects(_THINGS, THING)
        + _subjects(_ACTIVITIES, THING)
        + _subjects(_DOCUMENTS, THING)
        + _placed(_NATURE, SCENE, Role.SETTING)
        + _placed(_CITY, SCENE, Role.SETTING)
        + _placed(_HOME, SCENE, Role.SETTING)
        + _placed(_TIMES, SCENE, Role.TIME)
        + _placed(_OCCASIONS, EVENT, Role.OCCASION)
        + [Category(n, p, zh, STYLE, Role.STYLE) for n, p, zh in _STYLES]
    )
)


def resolve(text: str, vocabulary: Vocabulary = BUILT_IN) -> str:
    """The tag name that ``text`` means: a name as typed in any case, or a built-in tag's
    Chinese name ("海滩" -> "beach")."""
    name = tag_name(text)
    if vocabulary.get(name) is not None:
        return name
    for category in vocabulary.categories:
        if category.zh and category.zh == name:
            return category.name
    return name

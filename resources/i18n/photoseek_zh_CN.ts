<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>Actions</name>
        <message>
            <source>, </source>
            <comment>list separator</comment>
            <translation>、</translation>
        </message>
        <message>
            <source>{0} is no longer there: moved, renamed or deleted since it was indexed.</source>
            <translation>{0} 已不在原处：自编入索引以来已被移动、重命名或删除。</translation>
        </message>
        <message>
            <source>{0} are no longer there: moved, renamed or deleted since it was indexed.</source>
            <translation>{0} 已不在原处：自编入索引以来已被移动、重命名或删除。</translation>
        </message>
        <message>
            <source>{0} and others are no longer there: moved, renamed or deleted since it was indexed.</source>
            <translation>{0} 等文件已不在原处：自编入索引以来已被移动、重命名或删除。</translation>
        </message>
        <message>
            <source>No application on this computer could open {0}.</source>
            <translation>这台电脑上没有能打开 {0} 的应用。</translation>
        </message>
        <message>
            <source>The file manager ({0}) could not be started.</source>
            <translation>无法启动文件管理器（{0}）。</translation>
        </message>
        <message>
            <source>No file manager on this computer could show {0}.</source>
            <translation>这台电脑上没有能显示 {0} 的文件管理器。</translation>
        </message>
    </context>
    <context>
        <name>Chip</name>
        <message>
            <source>Weight ×{0}</source>
            <translation>权重 ×{0}</translation>
        </message>
        <message>
            <source>Click to change how much it counts.</source>
            <translation>点击可调整它的权重。</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Remove {0}</source>
            <translation>移除 {0}</translation>
        </message>
    </context>
    <context>
        <name>CopyDiagnostics</name>
        <message>
            <source>Diagnostics copied to the clipboard: paste them into your bug report.</source>
            <translation>诊断信息已复制到剪贴板：请粘贴到你的问题报告中。</translation>
        </message>
        <message>
            <source>Diagnostics could not be gathered: {0}</source>
            <translation>无法收集诊断信息：{0}</translation>
        </message>
    </context>
    <context>
        <name>CoreSentences</name>
        <message>
            <source>Loading the model {name}…</source>
            <translation>正在加载模型 {name}…</translation>
        </message>
        <message>
            <source>Preparing {model}; searches use the current model until it has indexed your photos.</source>
            <translation>正在准备 {model}；在它为你的照片建好索引之前，搜索仍使用当前模型。</translation>
        </message>
        <message>
            <source>The model download was cancelled.</source>
            <translation>模型下载已取消。</translation>
        </message>
        <message>
            <source>The model could not be loaded: {reason}</source>
            <translation>无法加载模型：{reason}</translation>
        </message>
        <message>
            <source>The model {name} has random weights: search results mean nothing. Choose a real model in Settings.</source>
            <translation>模型 {name} 使用的是随机权重：搜索结果没有意义。请在“设置”中选择一个真正的模型。</translation>
        </message>
        <message>
            <source>Model {name} is not downloaded yet and cannot be fetched ({reason}). Connect to the internet once to download {size}, or choose a local weights file with “Use a weights file…”.</source>
            <translation>模型 {name} 尚未下载，现在也无法获取（{reason}）。请连接一次互联网以下载{size}，或点“使用权重文件…”选择本机上的权重文件。</translation>
        </message>
        <message>
            <source>about {mb} MB</source>
            <translation>约 {mb} MB</translation>
        </message>
        <message>
            <source>its weights</source>
            <translation>它的权重</translation>
        </message>
        <message>
            <source>Switching to {model} did not finish: {why} {current} still answers your searches.</source>
            <translation>切换到 {model} 未完成：{why}搜索仍由 {current} 回答。</translation>
        </message>
        <message>
            <source>it was cancelled.</source>
            <translation>已被取消。</translation>
        </message>
        <message>
            <source>something went wrong ({reason}).</source>
            <translation>出了点问题（{reason}）。</translation>
        </message>
        <message>
            <source>Something went wrong: {reason}</source>
            <translation>出了点问题：{reason}</translation>
        </message>
        <message>
            <source>Folders cannot be watched for changes ({reason}); new photos are found when PhotoSeek starts.</source>
            <translation>无法监视文件夹的变化（{reason}）；新照片将在 PhotoSeek 启动时找到。</translation>
        </message>
        <message>
            <source>The search index for {name} was rebuilt from the catalog because {reason}.</source>
            <translation>{name} 的搜索索引已根据目录重建，原因：{reason}。</translation>
        </message>
        <message>
            <source>The search index for {name} was rebuilt from the catalog because {reason}. The old file was kept as {kept}.</source>
            <translation>{name} 的搜索索引已根据目录重建，原因：{reason}。旧文件保留为 {kept}。</translation>
        </message>
    </context>
    <context>
        <name>DateRangeDialog</name>
        <message>
            <source>Photos taken between</source>
            <translation>拍摄日期范围</translation>
        </message>
        <message>
            <source>d MMM yyyy</source>
            <translation>yyyy年M月d日</translation>
        </message>
        <message>
            <source>From</source>
            <translation>从</translation>
        </message>
        <message>
            <source>To</source>
            <translation>到</translation>
        </message>
    </context>
    <context>
        <name>DuplicatesWindow</name>
        <message>
            <source>Find Duplicates — PhotoSeek</source>
            <translation>查找重复照片 — PhotoSeek</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Look Again</source>
            <translation>重新查找</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Waiting for the search model to load…</source>
            <translation>正在等待搜索模型加载…</translation>
        </message>
        <message>
            <source>Looking for duplicates…</source>
            <translation>正在查找重复照片…</translation>
        </message>
        <message>
            <source>Looking for duplicates among {0} photos…</source>
            <translation>正在 {0} 张照片中查找重复照片…</translation>
        </message>
        <message>
            <source>No duplicates found among {0} photos compared.</source>
            <translation>比较了 {0} 张照片，未发现重复。</translation>
        </message>
        <message>
            <source>{0} groups of duplicates ({1} photos) among {2} photos compared.</source>
            <translation>在比较的 {2} 张照片中发现 {0} 组重复（共 {1} 张）。</translation>
        </message>
        <message>
            <source>1 group of duplicates ({1} photos) among {2} photos compared.</source>
            <translation>在比较的 {2} 张照片中发现 1 组重复（共 {1} 张）。</translation>
        </message>
        <message>
            <source>Move {0} Photos to Trash…</source>
            <translation>将 {0} 张照片移到回收站…</translation>
        </message>
        <message>
            <source>{0} ticked for the trash: {1} would be freed.</source>
            <translation>已勾选 {0} 张移到回收站：将释放 {1}。</translation>
        </message>
        <message>
            <source>In {0} groups every photo is ticked: no copy of them would be kept.</source>
            <translation>有 {0} 组的所有照片都被勾选：这些照片将一张都不保留。</translation>
        </message>
        <message>
            <source>Looking for duplicates stopped: {0}</source>
            <translation>查找重复照片已停止：{0}</translation>
        </message>
        <message>
            <source>Cancelled. What was checked is kept: looking again goes on from there.</source>
            <translation>已取消。已检查的部分会保留：重新查找时将从那里继续。</translation>
        </message>
        <message>
            <source>{0} could not be checked and were left out: {1}</source>
            <translation>{0}无法检查，已略过：{1}</translation>
        </message>
        <message>
            <source>Move 1 Photo to Trash…</source>
            <translation>将 1 张照片移到回收站…</translation>
        </message>
        <message>
            <source>Move {0} to the trash?</source>
            <translation>将{0}移到回收站？</translation>
        </message>
        <message>
            <source>They go to the system trash, where they can be restored from. PhotoSeek stops showing them.</source>
            <translation>它们会被移到系统回收站，可以从那里恢复。PhotoSeek 将不再显示它们。</translation>
        </message>
        <message>
            <source>Move to Trash</source>
            <translation>移到回收站</translation>
        </message>
        <message>
            <source>Moving {0} to the trash…</source>
            <translation>正在将{0}移到回收站…</translation>
        </message>
        <message>
            <source>Moved {0} to the trash ({1} freed).</source>
            <translation>已将{0}移到回收站（释放了 {1}）。</translation>
        </message>
        <message>
            <source>{0} could not be moved: the reason is under each.</source>
            <translation>{0}无法移动：原因显示在每张照片下方。</translation>
        </message>
        <message>
            <source>Nothing more was moved: {0}</source>
            <translation>未再移动任何照片：{0}</translation>
        </message>
        <message>
            <source>Exact copies (the very same file)</source>
            <translation>完全相同的副本（同一文件）</translation>
        </message>
        <message>
            <source>Re-encoded or resized copies</source>
            <translation>重新编码或缩放过的副本</translation>
        </message>
        <message>
            <source>Burst: near-identical shots</source>
            <translation>连拍：几乎相同的照片</translation>
        </message>
        <message>
            <source>1 photo</source>
            <translation>1张照片</translation>
        </message>
        <message>
            <source>{0} photos</source>
            <translation>{0}张照片</translation>
        </message>
        <message>
            <source>{0} bytes</source>
            <translation>{0} 字节</translation>
        </message>
        <message>
            <source>yyyy-MM-dd HH:mm</source>
            <comment>a date to the minute: a QLocale format</comment>
            <translation>yyyy年M月d日 HH:mm</translation>
        </message>
        <message>
            <source>Taken {0}</source>
            <translation>拍摄于 {0}</translation>
        </message>
        <message>
            <source>Modified {0}</source>
            <translation>修改于 {0}</translation>
        </message>
        <message>
            <source>No date</source>
            <translation>无日期</translation>
        </message>
    </context>
    <context>
        <name>Engine</name>
        <message>
            <source>“Use a weights file…”</source>
            <translation>“使用权重文件…”</translation>
        </message>
    </context>
    <context>
        <name>ErrorNotices</name>
        <message>
            <source>Something went wrong ({0}).</source>
            <translation>出错了（{0}）。</translation>
        </message>
        <message>
            <source>Something went wrong ({0}). Details are in {1}.</source>
            <translation>出错了（{0}）。详情见 {1}。</translation>
        </message>
    </context>
    <context>
        <name>EvaluationDialog</name>
        <message>
            <source>making altered copies</source>
            <translation>正在生成变换副本</translation>
        </message>
        <message>
            <source>loading the model</source>
            <translation>正在加载模型</translation>
        </message>
        <message>
            <source>indexing</source>
            <translation>正在索引</translation>
        </message>
        <message>
            <source>indexing the altered copies</source>
            <translation>正在索引变换副本</translation>
        </message>
        <message>
            <source>timing searches</source>
            <translation>正在测量搜索耗时</translation>
        </message>
        <message>
            <source>ranking every photo</source>
            <translation>正在为每张照片排序</translation>
        </message>
        <message>
            <source>Evaluate Search Quality — PhotoSeek</source>
            <translation>评估搜索质量 — PhotoSeek</translation>
        </message>
        <message>
            <source>A folder with one subfolder per label</source>
            <translation>每个标签对应一个子文件夹的文件夹</translation>
        </message>
        <message>
            <source>Choose Folder…</source>
            <translation>选择文件夹…</translation>
        </message>
        <message>
            <source>Photos:</source>
            <translation>照片：</translation>
        </message>
        <message>
            <source>Subfolder names (photos of dogs in dog/, of beaches in beach/…)</source>
            <translation>子文件夹名称（狗的照片放在 dog/，海滩的照片放在 beach/…）</translation>
        </message>
        <message>
            <source>A captions file (path,caption rows):</source>
            <translation>描述文件（每行为“路径,描述”）：</translation>
        </message>
        <message>
            <source>CSV or TSV, paths relative to the folder</source>
            <translation>CSV 或 TSV，路径相对于该文件夹</translation>
        </message>
        <message>
            <source>Choose File…</source>
            <translation>选择文件…</translation>
        </message>
        <message>
            <source>Labels from:</source>
            <translation>标签来源：</translation>
        </message>
        <message>
            <source>A model not downloaded yet is downloaded first, once, into PhotoSeek's models folder (its size is shown). Without an internet connection it cannot be, and the evaluation stops with a message saying so.</source>
            <translation>尚未下载的模型会先下载到 PhotoSeek 的模型文件夹（只需一次，大小已标出）。没有网络连接时无法下载，评估会停止并给出说明。</translation>
        </message>
        <message>
            <source>Models:</source>
            <translation>模型：</translation>
        </message>
        <message>
            <source>Prompt ensembles: ask for each label in several phrasings (“a photo of a dog”, “a close-up photo of a dog”…)</source>
            <translation>提示词集成：每个标签用多种说法查询（“一张狗的照片”“一张狗的特写照片”…）</translation>
        </message>
        <message>
            <source>Robustness: also search altered copies of every photo (compressed, blurred, turned, cropped); takes about twice as long</source>
            <translation>鲁棒性：同时搜索每张照片的变换副本（压缩、模糊、旋转、裁剪）；耗时约为两倍</translation>
        </message>
        <message>
            <source>Options:</source>
            <translation>选项：</translation>
        </message>
        <message>
            <source>Evaluate</source>
            <translation>评估</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>{0} (in use now)</source>
            <translation>{0}（当前使用）</translation>
        </message>
        <message>
            <source>downloaded</source>
            <translation>已下载</translation>
        </message>
        <message>
            <source>not downloaded: about {0} MB first</source>
            <translation>未下载：需先下载约 {0} MB</translation>
        </message>
        <message>
            <source>{name} — {note} ({state})</source>
            <translation>{name} — {note}（{state}）</translation>
        </message>
        <message>
            <source> {0} of {1}</source>
            <translation> {0}/{1}</translation>
        </message>
        <message>
            <source>Folder of Labelled Photos</source>
            <translation>已标注照片的文件夹</translation>
        </message>
        <message>
            <source>Captions File</source>
            <translation>描述文件</translation>
        </message>
        <message>
            <source>Captions (*.csv *.tsv *.txt);;All files (*)</source>
            <translation>描述文件 (*.csv *.tsv *.txt);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Choose the folder of photos to evaluate.</source>
            <translation>请选择要评估的照片文件夹。</translation>
        </message>
        <message>
            <source>Choose the captions file, or take labels from subfolder names.</source>
            <translation>请选择描述文件，或改用子文件夹名称作为标签。</translation>
        </message>
        <message>
            <source>Tick at least one model.</source>
            <translation>请至少勾选一个模型。</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>正在开始…</translation>
        </message>
        <message>
            <source>Model {0} of {1}, {2}: {3}{4}…</source>
            <translation>模型 {0}/{1}，{2}：{3}{4}…</translation>
        </message>
        <message>
            <source>Done.</source>
            <translation>完成。</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>已取消。</translation>
        </message>
        <message>
            <source>JPEG quality {0}</source>
            <translation>JPEG 质量 {0}</translation>
        </message>
        <message>
            <source>Gaussian blur</source>
            <translation>高斯模糊</translation>
        </message>
        <message>
            <source>Rotated {0} degrees</source>
            <translation>旋转 {0} 度</translation>
        </message>
        <message>
            <source>Centre crop {0}%</source>
            <translation>中心裁剪 {0}%</translation>
        </message>
        <message>
            <source>Photos ranked</source>
            <translation>参与排序的照片</translation>
        </message>
        <message>
            <source>Photos of the folder that each model could read</source>
            <translation>每个模型能读取的该文件夹照片数</translation>
        </message>
        <message>
            <source>Recall@{0}</source>
            <translation>Recall@{0}</translation>
        </message>
        <message>
            <source>Share of each query's photos found among the first {0}</source>
            <translation>每次查询的目标照片出现在前 {0} 个结果中的比例</translation>
        </message>
        <message>
            <source>mAP</source>
            <translation>mAP</translation>
        </message>
        <message>
            <source>Mean average precision over the whole ranking</source>
            <translation>整个排序的平均精度均值</translation>
        </message>
        <message>
            <source>NDCG@10</source>
            <translation>NDCG@10</translation>
        </message>
        <message>
            <source>How near the top the right photos are, among the first 10</source>
            <translation>前 10 个结果中正确照片的排名靠前程度</translation>
        </message>
        <message>
            <source>MRR</source>
            <translation>MRR</translation>
        </message>
        <message>
            <source>1 / the rank of the first right photo, averaged</source>
            <translation>第一张正确照片排名的倒数的平均值</translation>
        </message>
        <message>
            <source>Search time p50 (ms)</source>
            <translation>搜索耗时 p50（毫秒）</translation>
        </message>
        <message>
            <source>Half of the searches took at most this long</source>
            <translation>一半的搜索耗时不超过此值</translation>
        </message>
        <message>
            <source>Search time p95 (ms)</source>
            <translation>搜索耗时 p95（毫秒）</translation>
        </message>
        <message>
            <source>95% of the searches took at most this long</source>
            <translation>95% 的搜索耗时不超过此值</translation>
        </message>
        <message>
            <source>Indexing (photos/s)</source>
            <translation>索引速度（张/秒）</translation>
        </message>
        <message>
            <source>Photos embedded per second</source>
            <translation>每秒完成嵌入的照片数</translation>
        </message>
        <message>
            <source>{0}: Recall@1 / mAP</source>
            <translation>{0}：Recall@1 / mAP</translation>
        </message>
        <message>
            <source>The same searches over copies of every photo, altered</source>
            <translation>在每张照片的变换副本上执行同样的搜索</translation>
        </message>
        <message>
            <source>{0} captions</source>
            <translation>{0} 条描述</translation>
        </message>
        <message>
            <source>{0} labels from subfolders, {1}</source>
            <translation>来自子文件夹的 {0} 个标签，{1}</translation>
        </message>
        <message>
            <source>prompt ensembles</source>
            <translation>使用提示词集成</translation>
        </message>
        <message>
            <source>one prompt each</source>
            <translation>每个标签一个提示词</translation>
        </message>
        <message>
            <source>{0}: {1} photos, {2}.</source>
            <translation>{0}：{1} 张照片，{2}。</translation>
        </message>
    </context>
    <context>
        <name>EvaluationResults</name>
        <message>
            <source>Copy Table</source>
            <translation>复制表格</translation>
        </message>
        <message>
            <source>Save Chart…</source>
            <translation>保存图表…</translation>
        </message>
        <message>
            <source>Recall@K is the share of a label's photos found among the first K results: with more than K photos per label it cannot reach 1. MRR says how soon the first right photo comes (1.000: always first).</source>
            <translation>Recall@K 是某个标签的照片出现在前 K 个结果中的比例：每个标签的照片多于 K 张时，它无法达到 1。MRR 表示第一张正确照片出现得有多早（1.000：总是排在第一）。</translation>
        </message>
        <message>
            <source>{0} caption rows name no photo of the folder and were left out.</source>
            <translation>有 {0} 行描述指向的照片不在该文件夹中，已略过。</translation>
        </message>
        <message>
            <source>{0} could not be evaluated: {1}</source>
            <translation>{0} 无法评估：{1}</translation>
        </message>
        <message>
            <source>{0} photos could not be read (for example {1}: {2}).</source>
            <translation>有 {0} 张照片无法读取（例如 {1}：{2}）。</translation>
        </message>
        <message>
            <source>Table copied.</source>
            <translation>表格已复制。</translation>
        </message>
        <message>
            <source>Save Chart</source>
            <translation>保存图表</translation>
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation>PNG 图片 (*.png)</translation>
        </message>
        <message>
            <source>PhotoSeek never writes into the folder it evaluates: choose a place outside {0}.</source>
            <translation>PhotoSeek 从不写入正在评估的文件夹：请选择 {0} 之外的位置。</translation>
        </message>
        <message>
            <source>Chart saved to {0}.</source>
            <translation>图表已保存到 {0}。</translation>
        </message>
        <message>
            <source>The chart was not saved: {0}</source>
            <translation>图表未能保存：{0}</translation>
        </message>
    </context>
    <context>
        <name>ExampleInput</name>
        <message>
            <source>The clipboard holds no image to search with.</source>
            <translation>剪贴板中没有可用于搜索的图片。</translation>
        </message>
        <message>
            <source>could not write {0} (is the disk full?)</source>
            <translation>无法写入 {0}（磁盘是否已满？）</translation>
        </message>
        <message>
            <source>Paste failed: {0}</source>
            <translation>粘贴失败：{0}</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <source>Best match first</source>
            <translation>最佳匹配优先</translation>
        </message>
        <message>
            <source>Newest first</source>
            <translation>最新优先</translation>
        </message>
        <message>
            <source>Oldest first</source>
            <translation>最早优先</translation>
        </message>
        <message>
            <source>dd MMM yyyy</source>
            <translation>yyyy年M月d日</translation>
        </message>
        <message>
            <source>since {0}</source>
            <translation>{0}以来</translation>
        </message>
        <message>
            <source>until {0}</source>
            <translation>截至 {0}</translation>
        </message>
        <message>
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Photos taken in a year or between two dates</source>
            <translation>在某一年或两个日期之间拍摄的照片</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>地点</translation>
        </message>
        <message>
            <source>Photos taken in a place (from their GPS position)</source>
            <translation>在某地拍摄的照片（根据 GPS 位置）</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>相机</translation>
        </message>
        <message>
            <source>Photos taken with a camera or phone</source>
            <translation>用某台相机或手机拍摄的照片</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Files of one type</source>
            <translation>某一类型的文件</translation>
        </message>
        <message>
            <source>Order</source>
            <translation>顺序</translation>
        </message>
        <message>
            <source>The order of the photos shown</source>
            <translation>照片的显示顺序</translation>
        </message>
        <message>
            <source>Any camera</source>
            <translation>任意相机</translation>
        </message>
        <message>
            <source>Any type</source>
            <translation>任意类型</translation>
        </message>
        <message>
            <source>Any time</source>
            <translation>任意时间</translation>
        </message>
        <message>
            <source>Between Two Dates…</source>
            <translation>指定日期范围…</translation>
        </message>
        <message>
            <source>Anywhere</source>
            <translation>任意地点</translation>
        </message>
        <message>
            <source>With a place</source>
            <translation>有地点信息</translation>
        </message>
        <message>
            <source>Without a place</source>
            <translation>无地点信息</translation>
        </message>
        <message>
            <source>When: {0}</source>
            <translation>时间：{0}</translation>
        </message>
        <message>
            <source>with a place</source>
            <translation>有地点信息</translation>
        </message>
        <message>
            <source>without a place</source>
            <translation>无地点信息</translation>
        </message>
        <message>
            <source>Where: {0}</source>
            <translation>地点：{0}</translation>
        </message>
        <message>
            <source>Camera: {0}</source>
            <translation>相机：{0}</translation>
        </message>
        <message>
            <source>Type: {0}</source>
            <translation>类型：{0}</translation>
        </message>
        <message>
            <source>in {0}</source>
            <translation>位于 {0}</translation>
        </message>
        <message>
            <source>tagged {0}</source>
            <translation>标签 {0}</translation>
        </message>
        <message>
            <source>Only photos tagged “{0}”</source>
            <translation>只显示带有“{0}”标签的照片</translation>
        </message>
        <message>
            <source>Clear Filters</source>
            <translation>清除筛选</translation>
        </message>
    </context>
    <context>
        <name>FoldersPanel</name>
        <message>
            <source>offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>1 drive inside not mounted</source>
            <translation>其中 1 个驱动器未挂载</translation>
        </message>
        <message>
            <source>{0} drives inside not mounted</source>
            <translation>其中 {0} 个驱动器未挂载</translation>
        </message>
        <message>
            <source>checked every few minutes</source>
            <translation>每隔几分钟检查一次</translation>
        </message>
        <message>
            <source>watching</source>
            <translation>正在监视</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>照片库</translation>
        </message>
        <message>
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <source>Photos</source>
            <translation>照片</translation>
        </message>
        <message>
            <source>No folders yet. Add one with the button below, or drop a folder on the window.</source>
            <translation>还没有文件夹。请用下方的按钮添加，或将文件夹拖到窗口中。</translation>
        </message>
        <message>
            <source>Add folder…</source>
            <translation>添加文件夹…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Remove the folder from the library (files are untouched)</source>
            <translation>从照片库中移除该文件夹（文件不会被改动）</translation>
        </message>
        <message>
            <source>Add a folder of photos</source>
            <translation>添加照片文件夹</translation>
        </message>
        <message>
            <source>Remove folder</source>
            <translation>移除文件夹</translation>
        </message>
        <message>
            <source>Remove {0} from the library?

The photos stay on disk; they are only no longer searched.</source>
            <translation>要从照片库中移除 {0} 吗？

照片仍保留在磁盘上，只是不再被搜索。</translation>
        </message>
        <message>
            <source>{0} of {1} photos indexed, {2} could not be read</source>
            <translation>已索引 {0} / {1} 张照片，{2} 张无法读取</translation>
        </message>
        <message>
            <source>{0} of {1} photos indexed</source>
            <translation>已索引 {0} / {1} 张照片</translation>
        </message>
        <message>
            <source>{0} could not be read</source>
            <translation>{0} 个无法读取</translation>
        </message>
        <message>
            <source>{0} not read (other formats…)</source>
            <translation>{0} 个未读取（其他格式…）</translation>
        </message>
        <message>
            <source>{0}, {1}</source>
            <translation>{0}，{1}</translation>
        </message>
        <message>
            <source>… and {0} more</source>
            <translation>…还有 {0} 个</translation>
        </message>
    </context>
    <context>
        <name>GroupRow</name>
        <message>
            <source>Every photo of this group is ticked: none of them would be kept.</source>
            <translation>这一组的所有照片都已勾选：将一张都不保留。</translation>
        </message>
        <message>
            <source>{0} · {1} photos</source>
            <translation>{0} · {1} 张照片</translation>
        </message>
    </context>
    <context>
        <name>HowToSearch</name>
        <message>
            <source>&lt;h2&gt;How to search&lt;/h2&gt;</source>
            <translation>&lt;h2&gt;如何搜索&lt;/h2&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Words&lt;/h3&gt;&lt;p&gt;Describe the photo: &lt;i&gt;dog on a beach&lt;/i&gt;, &lt;i&gt;red car at night&lt;/i&gt;, &lt;i&gt;birthday cake with candles&lt;/i&gt;. Results follow as you type; Enter searches at once. While the search model is still loading, words find file names, folder names and dates.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;文字&lt;/h3&gt;&lt;p&gt;描述照片的内容：&lt;i&gt;海滩上的狗&lt;/i&gt;、&lt;i&gt;夜晚的红色汽车&lt;/i&gt;、&lt;i&gt;插着蜡烛的生日蛋糕&lt;/i&gt;。结果随输入即时更新，按 Enter 立即搜索。用中文描述需要多语言模型（可在“设置”中切换）。搜索模型仍在加载时，文字会先匹配文件名、文件夹名和日期。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Photos&lt;/h3&gt;&lt;p&gt;Drop a photo on the window or the search field, or copy one and use &lt;b&gt;File ▸ Paste Image to Search&lt;/b&gt; (Ctrl+V), to find photos like it. Select photos in the grid and use &lt;b&gt;Photo ▸ More Like This&lt;/b&gt; to add them as examples. Words and photos combine: each shows as a chip.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;照片&lt;/h3&gt;&lt;p&gt;把照片拖到窗口或搜索框上，或复制一张照片后使用&lt;b&gt;文件 ▸ 粘贴图片搜索&lt;/b&gt;（Ctrl+V），即可查找与它相似的照片。在网格中选中照片后使用&lt;b&gt;照片 ▸ 更多类似照片&lt;/b&gt;，可将它们作为示例加入搜索。文字和照片可以组合使用：每一项都显示为一个条件块。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Not&lt;/h3&gt;&lt;p&gt;Type words and press &lt;b&gt;Not…&lt;/b&gt; beside the field (&lt;b&gt;Edit ▸ Not… (Exclude Typed Words)&lt;/b&gt;) to steer away from them: &lt;i&gt;beach&lt;/i&gt;, then &lt;i&gt;not people&lt;/i&gt;. For photos, use &lt;b&gt;Photo ▸ Less Like This&lt;/b&gt;. A chip's × removes it.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;排除&lt;/h3&gt;&lt;p&gt;输入文字后按搜索框旁的&lt;b&gt;排除…&lt;/b&gt;（&lt;b&gt;编辑 ▸ 排除输入的词…&lt;/b&gt;），即可让结果避开这些内容：例如先搜 &lt;i&gt;海滩&lt;/i&gt;，再加上 &lt;i&gt;排除 人群&lt;/i&gt;。对于照片，请使用&lt;b&gt;照片 ▸ 减少类似照片&lt;/b&gt;。点击条件块上的 × 可将其移除。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Weights&lt;/h3&gt;&lt;p&gt;Click a photo chip (“like …”) or a “not …” chip and choose how much it counts: ×0.5, ×1, ×2 or ×3.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;权重&lt;/h3&gt;&lt;p&gt;点击照片条件块（“类似 …”）或“排除 …”条件块，选择它的权重：×0.5、×1、×2 或 ×3。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Filters&lt;/h3&gt;&lt;p&gt;The &lt;b&gt;When&lt;/b&gt;, &lt;b&gt;Where&lt;/b&gt;, &lt;b&gt;Camera&lt;/b&gt; and &lt;b&gt;Type&lt;/b&gt; buttons above the grid narrow the results; each choice shows as a chip, and a chip's × removes it. Clicking a folder in the library panel keeps to that folder. You can also type them with your words: &lt;i&gt;beach 2023&lt;/i&gt;, &lt;i&gt;dog last summer&lt;/i&gt;, &lt;i&gt;snow before 2020&lt;/i&gt;, &lt;i&gt;christmas 2019&lt;/i&gt;, &lt;i&gt;cat png&lt;/i&gt;, and places or cameras your photos have (&lt;i&gt;sunset in Paris&lt;/i&gt;, &lt;i&gt;shot on iPhone&lt;/i&gt;). What was understood shows as a chip; remove it to search those words as words instead.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;筛选&lt;/h3&gt;&lt;p&gt;网格上方的&lt;b&gt;时间&lt;/b&gt;、&lt;b&gt;地点&lt;/b&gt;、&lt;b&gt;相机&lt;/b&gt;和&lt;b&gt;类型&lt;/b&gt;按钮可以缩小结果范围；每个选择都显示为一个条件块，点击其上的 × 即可移除。在照片库面板中点击文件夹，可只看该文件夹中的照片。也可以把这些条件和文字一起输入：&lt;i&gt;海滩 2023&lt;/i&gt;、&lt;i&gt;去年夏天的狗&lt;/i&gt;、&lt;i&gt;2020年以前的雪&lt;/i&gt;、&lt;i&gt;2019年圣诞节&lt;/i&gt;、&lt;i&gt;猫 png&lt;/i&gt;，以及照片中带有的地点或相机（&lt;i&gt;巴黎的日落&lt;/i&gt;、&lt;i&gt;iPhone 拍摄的&lt;/i&gt;）。识别出的条件会显示为条件块；移除它，这些词就会按普通文字搜索。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Text in photos&lt;/h3&gt;&lt;p&gt;PhotoSeek reads the text in photos (signs, receipts, screenshots) in the background, and words you type find it. Type the whole search in quotes, &lt;i&gt;"TOTAL 42.50"&lt;/i&gt;, for photos that show exactly that text; if none does, the words are searched as usual.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;照片中的文字&lt;/h3&gt;&lt;p&gt;PhotoSeek 会在后台读取照片中的文字（招牌、收据、截图），输入的文字也能找到它们。把整个搜索内容放在引号中，例如 &lt;i&gt;"合计 42.50"&lt;/i&gt;，可查找恰好显示这段文字的照片；如果没有，则照常搜索这些文字。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Tags&lt;/h3&gt;&lt;p&gt;The tags panel (&lt;b&gt;View ▸ Tags Panel&lt;/b&gt;, Ctrl+T) lists what your photos show. Click a tag to see its photos; click more to combine them. Add your own tag (&lt;i&gt;my red bike&lt;/i&gt;) in its field.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;标签&lt;/h3&gt;&lt;p&gt;标签面板（&lt;b&gt;视图 ▸ 标签面板&lt;/b&gt;，Ctrl+T）列出照片中的内容。点击一个标签即可查看对应的照片；多点几个可组合筛选。也可以在面板的输入框中添加自己的标签（&lt;i&gt;我的红色自行车&lt;/i&gt;）。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>&lt;p&gt;Press F1 for all keyboard shortcuts.&lt;/p&gt;</source>
            <translation>&lt;p&gt;按 F1 查看全部键盘快捷键。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>How to Search</source>
            <translation>如何搜索</translation>
        </message>
    </context>
    <context>
        <name>ImageCanvas</name>
        <message>
            <source>This photo cannot be shown: {0}</source>
            <translation>无法显示这张照片：{0}</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>, </source>
            <comment>list separator</comment>
            <translation>、</translation>
        </message>
        <message>
            <source>No photos pass these filters (with {0}, understood from the words).</source>
            <translation>没有照片符合这些筛选条件（包括从文字中识别出的 {0}）。</translation>
        </message>
        <message>
            <source>No photos pass these filters.</source>
            <translation>没有照片符合这些筛选条件。</translation>
        </message>
        <message>
            <source>No photos yet: add a folder (File ▸ Add Folder…) or drop one here.</source>
            <translation>还没有照片：请添加文件夹（文件 ▸ 添加文件夹…），或把文件夹拖到这里。</translation>
        </message>
        <message>
            <source>The search model is still loading: photos like this one appear here as soon as it is ready.</source>
            <translation>搜索模型仍在加载：加载完成后，与这张照片相似的照片会显示在这里。</translation>
        </message>
        <message>
            <source>No file or folder name matches yet. The search model is still loading: photos that match by what they show appear here as soon as it is ready.</source>
            <translation>暂无匹配的文件名或文件夹名。搜索模型仍在加载：加载完成后，内容相符的照片会显示在这里。</translation>
        </message>
        <message>
            <source>No file or folder name matches. Photos are still being indexed: matches by what they show appear as they are.</source>
            <translation>没有匹配的文件名或文件夹名。照片仍在编入索引：内容相符的照片会随索引进度陆续显示。</translation>
        </message>
        <message>
            <source>No matching photos. Help ▸ How to Search has tips.</source>
            <translation>没有匹配的照片。“帮助 ▸ 如何搜索”中有一些提示。</translation>
        </message>
        <message>
            <source>&amp;Resume Indexing</source>
            <translation>继续索引(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Pause Indexing</source>
            <translation>暂停索引(&amp;P)</translation>
        </message>
        <message>
            <source>About PhotoSeek</source>
            <translation>关于 PhotoSeek</translation>
        </message>
        <message>
            <source>PhotoSeek finds photos on this computer by description or by example.
Everything runs locally; nothing is uploaded.</source>
            <translation>PhotoSeek 通过文字描述或示例照片，查找这台电脑上的照片。
一切都在本机运行，不会上传任何内容。</translation>
        </message>
    </context>
    <context>
        <name>MemberCard</name>
        <message>
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <source>Move to trash</source>
            <translation>移到回收站</translation>
        </message>
        <message>
            <source>No preview</source>
            <translation>无法预览</translation>
        </message>
        <message>
            <source>Not moved: {0}</source>
            <translation>未移动：{0}</translation>
        </message>
        <message>
            <source>To trash</source>
            <translation>将移入回收站</translation>
        </message>
        <message>
            <source>Keep (suggested)</source>
            <translation>保留（建议）</translation>
        </message>
        <message>
            <source>Keep</source>
            <translation>保留</translation>
        </message>
        <message>
            <source>Suggested: the largest resolution, then the largest file, then the original (a name without “copy” or “(1)”, the earliest date).</source>
            <translation>建议依据：分辨率最高者优先，其次是文件最大者，再次是原件（文件名不含“copy”或“(1)”，日期最早）。</translation>
        </message>
    </context>
    <context>
        <name>Menus</name>
        <message>
            <source>&amp;Add Folder…</source>
            <translation>添加文件夹(&amp;A)…</translation>
        </message>
        <message>
            <source>&amp;Remove Folder…</source>
            <translation>移除文件夹(&amp;R)…</translation>
        </message>
        <message>
            <source>Remove the folder selected in the library panel (files stay)</source>
            <translation>移除照片库面板中选中的文件夹（文件本身保留）</translation>
        </message>
        <message>
            <source>&amp;Cancel Model Download</source>
            <translation>取消下载模型(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Retry Model Download</source>
            <translation>重试下载模型(&amp;R)</translation>
        </message>
        <message>
            <source>Choose &amp;Weights File…</source>
            <translation>选择权重文件(&amp;W)…</translation>
        </message>
        <message>
            <source>Load the model from a weights file on this computer</source>
            <translation>从这台电脑上的权重文件加载模型</translation>
        </message>
        <message>
            <source>&amp;Not… (Exclude Typed Words)</source>
            <translation>排除输入的词(&amp;N)…</translation>
        </message>
        <message>
            <source>Turn the typed words into a 'not' term: steer away from them</source>
            <translation>把输入的词变为“排除”条件：让结果避开它们</translation>
        </message>
        <message>
            <source>&amp;Paste Image to Search</source>
            <translation>粘贴图片搜索(&amp;P)</translation>
        </message>
        <message>
            <source>Find photos similar to the image on the clipboard</source>
            <translation>查找与剪贴板中的图片相似的照片</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>设置(&amp;S)…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Find</source>
            <translation>查找(&amp;F)</translation>
        </message>
        <message>
            <source>C&amp;lear Search</source>
            <translation>清除搜索(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Copy Path</source>
            <translation>复制路径(&amp;C)</translation>
        </message>
        <message>
            <source>Copy &amp;Image</source>
            <translation>复制图片(&amp;I)</translation>
        </message>
        <message>
            <source>Select &amp;All</source>
            <translation>全选(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Open</source>
            <translation>打开(&amp;O)</translation>
        </message>
        <message>
            <source>Open with the default app</source>
            <translation>用默认应用打开</translation>
        </message>
        <message>
            <source>&amp;Preview</source>
            <translation>预览(&amp;P)</translation>
        </message>
        <message>
            <source>Show large</source>
            <translation>放大显示</translation>
        </message>
        <message>
            <source>Show in &amp;Folder</source>
            <translation>在文件夹中显示(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;More Like This</source>
            <translation>更多类似照片(&amp;M)</translation>
        </message>
        <message>
            <source>Add the selected photos to the search as examples</source>
            <translation>将选中的照片作为示例加入搜索</translation>
        </message>
        <message>
            <source>&amp;Less Like This</source>
            <translation>减少类似照片(&amp;L)</translation>
        </message>
        <message>
            <source>Steer the search away from the selected photos</source>
            <translation>让搜索结果避开选中的照片</translation>
        </message>
        <message>
            <source>&amp;Larger Thumbnails</source>
            <translation>放大缩略图(&amp;L)</translation>
        </message>
        <message>
            <source>S&amp;maller Thumbnails</source>
            <translation>缩小缩略图(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Library Panel</source>
            <translation>照片库面板(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Tags Panel</source>
            <translation>标签面板(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Pause Indexing</source>
            <translation>暂停索引(&amp;P)</translation>
        </message>
        <message>
            <source>Find &amp;Duplicates…</source>
            <translation>查找重复照片(&amp;D)…</translation>
        </message>
        <message>
            <source>Find copies of the same photo and review them</source>
            <translation>查找同一张照片的多个副本并逐一查看</translation>
        </message>
        <message>
            <source>&amp;Evaluate Search Quality…</source>
            <translation>评估搜索质量(&amp;E)…</translation>
        </message>
        <message>
            <source>Measure how well models find the photos of a labelled folder</source>
            <translation>衡量各模型在已标注文件夹中找到照片的效果</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <source>Every key PhotoSeek answers to, by menu</source>
            <translation>PhotoSeek 响应的所有按键，按菜单列出</translation>
        </message>
        <message>
            <source>&amp;How to Search</source>
            <translation>如何搜索(&amp;H)</translation>
        </message>
        <message>
            <source>Words, photos, 'not', weights, filters, text in photos, tags</source>
            <translation>文字、照片、排除、权重、筛选、照片中的文字、标签</translation>
        </message>
        <message>
            <source>&amp;Copy Diagnostics</source>
            <translation>复制诊断信息(&amp;C)</translation>
        </message>
        <message>
            <source>Copy the versions, model, counts and log file's place, for a bug report</source>
            <translation>复制版本、模型、数量和日志文件位置，用于报告问题</translation>
        </message>
        <message>
            <source>&amp;About PhotoSeek</source>
            <translation>关于 PhotoSeek(&amp;A)</translation>
        </message>
        <message>
            <source>Show or hide the tags: click one to show its photos</source>
            <translation>显示或隐藏标签：点击标签即可查看其照片</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Photo</source>
            <translation>照片(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Indexing</source>
            <translation>索引(&amp;I)</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>工具(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
    </context>
    <context>
        <name>ModelBanner</name>
        <message>
            <source>{0} MB</source>
            <translation>{0} MB</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Use a weights file…</source>
            <translation>使用权重文件…</translation>
        </message>
        <message>
            <source>Choose a Model…</source>
            <translation>选择模型…</translation>
        </message>
        <message>
            <source>No search model is downloaded yet: choose which one to use. Until then you can search by file name and date.</source>
            <translation>还没有下载搜索模型：请选择要使用的模型。在此之前，可以按文件名和日期搜索。</translation>
        </message>
        <message>
            <source>Until then you can search by file name and date.</source>
            <translation>在此之前，可以按文件名和日期搜索。</translation>
        </message>
        <message>
            <source>Loading the search model…</source>
            <translation>正在加载搜索模型…</translation>
        </message>
        <message>
            <source>Downloading the search model (once)…</source>
            <translation>正在下载搜索模型（仅需一次）…</translation>
        </message>
        <message>
            <source>Resuming the search model download: {done} of {total}</source>
            <translation>正在继续下载搜索模型：{done} / {total}</translation>
        </message>
        <message>
            <source>Downloading the search model: {done} of {total}</source>
            <translation>正在下载搜索模型：{done} / {total}</translation>
        </message>
        <message>
            <source>{0} MB/s</source>
            <translation>{0} MB/秒</translation>
        </message>
    </context>
    <context>
        <name>ModelCard</name>
        <message>
            <source>Recommended</source>
            <translation>推荐</translation>
        </message>
        <message>
            <source>Measuring…</source>
            <translation>正在测量…</translation>
        </message>
        <message>
            <source>Download:</source>
            <translation>下载大小：</translation>
        </message>
        <message>
            <source>Speed on this computer:</source>
            <translation>本机速度：</translation>
        </message>
        <message>
            <source>Languages:</source>
            <translation>语言：</translation>
        </message>
        <message>
            <source>Quality:</source>
            <translation>质量：</translation>
        </message>
    </context>
    <context>
        <name>ModelChoicePage</name>
        <message>
            <source>Best for most people</source>
            <translation>适合大多数人</translation>
        </message>
        <message>
            <source>Clearly better results than the small model, at about the same speed.</source>
            <translation>效果明显优于小模型，速度却相差无几。</translation>
        </message>
        <message>
            <source>Highest quality</source>
            <translation>最高质量</translation>
        </message>
        <message>
            <source>The best results; indexing takes about three times as long.</source>
            <translation>效果最好；建立索引的时间约为三倍。</translation>
        </message>
        <message>
            <source>Multilingual</source>
            <translation>多语言</translation>
        </message>
        <message>
            <source>Search in Chinese and about 100 other languages.</source>
            <translation>可用中文及约 100 种其他语言搜索。</translation>
        </message>
        <message>
            <source>Small and fast</source>
            <translation>小巧快速</translation>
        </message>
        <message>
            <source>The smallest download and the fastest to index; good results.</source>
            <translation>下载最小，索引最快，效果良好。</translation>
        </message>
        <message>
            <source>{0} GB</source>
            <translation>{0} GB</translation>
        </message>
        <message>
            <source>{0} MB</source>
            <translation>{0} MB</translation>
        </message>
        <message>
            <source>Not known yet</source>
            <translation>暂不清楚</translation>
        </message>
        <message>
            <source>About {0} photos a second (measured here)</source>
            <translation>每秒约 {0} 张照片（本机实测）</translation>
        </message>
        <message>
            <source>About {0} photos a second (estimated)</source>
            <translation>每秒约 {0} 张照片（估算）</translation>
        </message>
        <message>
            <source>English</source>
            <translation>英语</translation>
        </message>
        <message>
            <source>Chinese, English and about 100 other languages</source>
            <translation>中文、英语及约 100 种其他语言</translation>
        </message>
        <message>
            <source>Not published</source>
            <translation>未公布</translation>
        </message>
        <message>
            <source>Best</source>
            <translation>最佳</translation>
        </message>
        <message>
            <source>Very good</source>
            <translation>很好</translation>
        </message>
        <message>
            <source>Good</source>
            <translation>良好</translation>
        </message>
        <message>
            <source>{word} (search test score {score})</source>
            <translation>{word}（搜索测试得分 {score}）</translation>
        </message>
        <message>
            <source>Choose how PhotoSeek understands your photos</source>
            <translation>选择 PhotoSeek 理解照片的方式</translation>
        </message>
        <message>
            <source>A search model runs on this computer to find photos by what they show. It is downloaded once, and your photos never leave this computer. You can change it later in Settings.</source>
            <translation>搜索模型在本机运行，按照片内容查找照片。模型只需下载一次，您的照片始终不会离开这台电脑。之后可以在“设置”中更换。</translation>
        </message>
        <message>
            <source>No internet here? Use weights downloaded on another computer.</source>
            <translation>这台电脑无法联网？可以使用在其他电脑上下载的权重文件。</translation>
        </message>
        <message>
            <source>Download and continue</source>
            <translation>下载并继续</translation>
        </message>
    </context>
    <context>
        <name>ModelWords</name>
        <message>
            <source>Recommended</source>
            <translation>推荐</translation>
        </message>
        <message>
            <source>High quality</source>
            <translation>高质量</translation>
        </message>
        <message>
            <source>Multilingual</source>
            <translation>多语言</translation>
        </message>
        <message>
            <source>Small download</source>
            <translation>下载最小</translation>
        </message>
        <message>
            <source>The best search for its cost: clearly better than the small model at about the same speed per photo.</source>
            <translation>性价比最高的搜索：明显优于小模型，每张照片的速度却相差无几。</translation>
        </message>
        <message>
            <source>Finer detail and the best results here; about 3x slower to index on a CPU.</source>
            <translation>细节更丰富，效果最好；在 CPU 上索引约慢 3 倍。</translation>
        </message>
        <message>
            <source>Search in Chinese and about 100 other languages; indexes as fast as the small model.</source>
            <translation>可用中文及约 100 种其他语言搜索；索引速度与小模型相当。</translation>
        </message>
        <message>
            <source>The smallest download and the fastest; good results.</source>
            <translation>下载最小、速度最快，效果良好。</translation>
        </message>
        <message>
            <source>English</source>
            <translation>英语</translation>
        </message>
        <message>
            <source>about 100 languages (Chinese, Japanese, Korean, Russian, Arabic, ...)</source>
            <translation>约 100 种语言（中文、日语、韩语、俄语、阿拉伯语……）</translation>
        </message>
        <message>
            <source>Chinese</source>
            <translation>中文</translation>
        </message>
        <message>
            <source>MSCOCO text-to-image R@1 {0}</source>
            <translation>MSCOCO 文搜图 R@1 {0}</translation>
        </message>
        <message>
            <source>ImageNet zero-shot {0}%</source>
            <translation>ImageNet 零样本 {0}%</translation>
        </message>
        <message>
            <source>Crossmodal-3600 recall {0} {1}</source>
            <translation>Crossmodal-3600 召回率（{0}）{1}</translation>
        </message>
        <message>
            <source>, </source>
            <comment>list separator</comment>
            <translation>，</translation>
        </message>
        <message>
            <source>{good_at} Reads {languages}. Published quality: {quality}.</source>
            <translation>{good_at}支持{languages}。公开评测：{quality}。</translation>
        </message>
        <message>
            <source>{good_at} Reads {languages}.</source>
            <translation>{good_at}支持{languages}。</translation>
        </message>
        <message>
            <source>about {0} photos/s (measured here)</source>
            <translation>约 {0} 张/秒（本机实测）</translation>
        </message>
        <message>
            <source>about {0} photos/s (estimated)</source>
            <translation>约 {0} 张/秒（估计）</translation>
        </message>
    </context>
    <context>
        <name>NoticeBar</name>
        <message>
            <source>Dismiss</source>
            <translation>关闭</translation>
        </message>
    </context>
    <context>
        <name>OpenRequests</name>
        <message>
            <source>Add this folder to your library?</source>
            <translation>要将这个文件夹添加到照片库吗？</translation>
        </message>
        <message>
            <source>Add these {0} folders to your library?</source>
            <translation>要将这 {0} 个文件夹添加到照片库吗？</translation>
        </message>
        <message>
            <source>Add Folder</source>
            <translation>添加文件夹</translation>
        </message>
        <message>
            <source>PhotoSeek indexes the photos in it, and keeps up with changes. Nothing in the folder is changed.</source>
            <translation>PhotoSeek 会为其中的照片编制索引，并跟进后续的变化。文件夹中的任何内容都不会被修改。</translation>
        </message>
        <message>
            <source>Add to Library</source>
            <translation>添加到照片库</translation>
        </message>
    </context>
    <context>
        <name>PhraseButton</name>
        <message>
            <source>Search for “{0}”</source>
            <translation>搜索“{0}”</translation>
        </message>
        <message>
            <source>Search for {0}</source>
            <translation>搜索 {0}</translation>
        </message>
    </context>
    <context>
        <name>Preview</name>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>a strong match (score {0})</source>
            <translation>高度匹配（得分 {0}）</translation>
        </message>
        <message>
            <source>a weaker match (score {0})</source>
            <translation>较弱匹配（得分 {0}）</translation>
        </message>
        <message>
            <source>The text in the photo matches the words.</source>
            <translation>照片中的文字与搜索词相符。</translation>
        </message>
        <message>
            <source>Match</source>
            <translation>匹配度</translation>
        </message>
        <message>
            <source>Moment</source>
            <translation>时刻</translation>
        </message>
        <message>
            <source>{0} (the frame that matches)</source>
            <translation>{0}（匹配的画面）</translation>
        </message>
        <message>
            <source>Taken</source>
            <translation>拍摄时间</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>{0} (the file's time: no date taken in it)</source>
            <translation>{0}（文件时间：文件中没有拍摄日期）</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>相机</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>尺寸</translation>
        </message>
        <message>
            <source>File size</source>
            <translation>文件大小</translation>
        </message>
        <message>
            <source>Place</source>
            <translation>地点</translation>
        </message>
        <message>
            <source>Path</source>
            <translation>路径</translation>
        </message>
        <message>
            <source>1 byte</source>
            <translation>1 字节</translation>
        </message>
        <message>
            <source>{0} bytes</source>
            <translation>{0} 字节</translation>
        </message>
        <message>
            <source>Live Photo</source>
            <translation>实况照片</translation>
        </message>
    </context>
    <context>
        <name>PreviewDialog</name>
        <message>
            <source>Preview — PhotoSeek</source>
            <translation>预览 — PhotoSeek</translation>
        </message>
        <message>
            <source>← → previous / next · Esc close</source>
            <translation>← → 上一张 / 下一张 · Esc 关闭</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>问题</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>No text found</source>
            <translation>未发现文字</translation>
        </message>
        <message>
            <source>The text read in the photo: select it to copy it</source>
            <translation>从照片中识别出的文字：选中即可复制</translation>
        </message>
        <message>
            <source>Text in the photo</source>
            <translation>照片中的文字</translation>
        </message>
        <message>
            <source>Looks like</source>
            <translation>看起来像</translation>
        </message>
    </context>
    <context>
        <name>ResultsModel</name>
        <message>
            <source>Cannot be shown: {0}</source>
            <translation>无法显示：{0}</translation>
        </message>
        <message>
            <source>Its file or folder name matches</source>
            <translation>文件名或文件夹名相符</translation>
        </message>
        <message>
            <source>The text in the photo matches</source>
            <translation>照片中的文字相符</translation>
        </message>
        <message>
            <source>A video: the frame at {0} matches</source>
            <translation>视频：{0} 处的画面相符</translation>
        </message>
        <message>
            <source>Score {0}</source>
            <translation>得分 {0}</translation>
        </message>
        <message>
            <source>Score {0} · a strong match</source>
            <translation>得分 {0} · 高度匹配</translation>
        </message>
        <message>
            <source>Score {0} · a weaker match</source>
            <translation>得分 {0} · 较弱匹配</translation>
        </message>
        <message>
            <source>Taken: {0}</source>
            <translation>拍摄时间：{0}</translation>
        </message>
        <message>
            <source>File date: {0} (no date taken in the file)</source>
            <translation>文件日期：{0}（文件中没有拍摄日期）</translation>
        </message>
    </context>
    <context>
        <name>SearchBar</name>
        <message>
            <source>Describe a photo, or drop one here…  (Ctrl+F)</source>
            <translation>描述一张照片，或把照片拖到这里…  (Ctrl+F)</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <source>Not…</source>
            <translation>排除…</translation>
        </message>
        <message>
            <source>Turn the typed words into a 'not' term: steer away from them</source>
            <translation>把输入的词变为“排除”条件：让结果避开它们</translation>
        </message>
        <message>
            <source>like {0}</source>
            <translation>类似 {0}</translation>
        </message>
        <message>
            <source>not {0}</source>
            <translation>排除 {0}</translation>
        </message>
        <message>
            <source>Understood as a date: only photos taken then.</source>
            <translation>识别为日期：只显示当时拍摄的照片。</translation>
        </message>
        <message>
            <source>Understood as a place: only photos taken there.</source>
            <translation>识别为地点：只显示在那里拍摄的照片。</translation>
        </message>
        <message>
            <source>Understood as a camera: only photos taken with it.</source>
            <translation>识别为相机：只显示用它拍摄的照片。</translation>
        </message>
        <message>
            <source>Understood as a file type: only files of this type.</source>
            <translation>识别为文件类型：只显示这种类型的文件。</translation>
        </message>
    </context>
    <context>
        <name>SearchController</name>
        <message>
            <source>{0} new photo found while indexing.</source>
            <translation>索引时发现了 {0} 张新照片。</translation>
        </message>
        <message>
            <source>{0} new photos found while indexing.</source>
            <translation>索引时发现了 {0} 张新照片。</translation>
        </message>
        <message>
            <source>{0} new match found while indexing.</source>
            <translation>索引时发现了 {0} 个新的匹配。</translation>
        </message>
        <message>
            <source>{0} new matches found while indexing.</source>
            <translation>索引时发现了 {0} 个新的匹配。</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>显示</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Automatic (GPU when available)</source>
            <translation>自动（有 GPU 时使用 GPU）</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>GPU (CUDA)</source>
            <translation>GPU（CUDA）</translation>
        </message>
        <message>
            <source>GPU (Apple)</source>
            <translation>GPU（Apple）</translation>
        </message>
        <message>
            <source>System ({0})</source>
            <translation>跟随系统（{0}）</translation>
        </message>
        <message>
            <source>{label}. {note}</source>
            <translation>{label}。{note}</translation>
        </message>
        <message>
            <source> Speed on this computer: {0}.</source>
            <translation>本机速度：{0}。</translation>
        </message>
        <message>
            <source>Settings — PhotoSeek</source>
            <translation>设置 — PhotoSeek</translation>
        </message>
        <message>
            <source>The model in use now.</source>
            <translation>当前使用的模型。</translation>
        </message>
        <message>
            <source>{name}  ({size} MB)</source>
            <translation>{name}（{size} MB）</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>模型：</translation>
        </message>
        <message>
            <source>Compute on:</source>
            <translation>计算设备：</translation>
        </message>
        <message>
            <source>Add…</source>
            <translation>添加…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Skip folders:</source>
            <translation>跳过的文件夹：</translation>
        </message>
        <message>
            <source>Language:</source>
            <translation>语言：</translation>
        </message>
        <message>
            <source> Download: about {0} MB, once.</source>
            <translation>下载：约 {0} MB，仅需一次。</translation>
        </message>
        <message>
            <source>Weights file {name}, checked: it fits {arch}.</source>
            <translation>权重文件 {name} 已检查：适用于 {arch}。</translation>
        </message>
        <message>
            <source>Folder to skip</source>
            <translation>要跳过的文件夹</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>The new language applies the next time PhotoSeek starts.</source>
            <translation>新的语言将在 PhotoSeek 下次启动时生效。</translation>
        </message>
        <message>
            <source>Restart Now</source>
            <translation>立即重启</translation>
        </message>
        <message>
            <source>Later</source>
            <translation>稍后</translation>
        </message>
    </context>
    <context>
        <name>ShortcutSheet</name>
        <message>
            <source>Elsewhere</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>命令</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>按键</translation>
        </message>
    </context>
    <context>
        <name>StatusBar</name>
        <message>
            <source>Show Weaker Matches</source>
            <translation>显示较弱的匹配</translation>
        </message>
        <message>
            <source>Also show the photos that match less well, ranked</source>
            <translation>同时显示匹配度较低的照片（按相关度排序）</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>Pause or resume indexing</source>
            <translation>暂停或继续索引</translation>
        </message>
        <message>
            <source>Thumbnail size (Ctrl+scroll over the grid)</source>
            <translation>缩略图大小（在网格上按住 Ctrl 滚动）</translation>
        </message>
        <message>
            <source>Thumbnail size</source>
            <translation>缩略图大小</translation>
        </message>
        <message>
            <source> — refining…</source>
            <translation> — 正在优化…</translation>
        </message>
        <message>
            <source>oldest first</source>
            <translation>最早的在前</translation>
        </message>
        <message>
            <source>newest first</source>
            <translation>最新的在前</translation>
        </message>
        <message>
            <source>{0} of {1} photos passes the filters, {2}</source>
            <translation>{1} 张照片中有 {0} 张符合筛选条件，{2}</translation>
        </message>
        <message>
            <source>{0} of {1} photos pass the filters, {2}</source>
            <translation>{1} 张照片中有 {0} 张符合筛选条件，{2}</translation>
        </message>
        <message>
            <source>{0} of {1} photos shown, {2}</source>
            <translation>显示 {1} 张照片中的 {0} 张，{2}</translation>
        </message>
        <message>
            <source>{0} photo in the library, {1}</source>
            <translation>照片库中共 {0} 张照片，{1}</translation>
        </message>
        <message>
            <source>{0} photos in the library, {1}</source>
            <translation>照片库中共 {0} 张照片，{1}</translation>
        </message>
        <message>
            <source>{0} photo by file name and date in {1} ms{2}</source>
            <translation>按文件名和日期找到 {0} 张照片，用时 {1} 毫秒{2}</translation>
        </message>
        <message>
            <source>{0} photos by file name and date in {1} ms{2}</source>
            <translation>按文件名和日期找到 {0} 张照片，用时 {1} 毫秒{2}</translation>
        </message>
        <message>
            <source> · {0} dated by the file's time (no date taken in the photo)</source>
            <translation> · {0} 张按文件时间确定日期（照片中没有拍摄日期）</translation>
        </message>
        <message>
            <source>Hide Weaker Matches</source>
            <translation>隐藏较弱的匹配</translation>
        </message>
        <message>
            <source>No photo passes these filters</source>
            <translation>没有照片符合这些筛选条件</translation>
        </message>
        <message>
            <source>No photo matches</source>
            <translation>没有匹配的照片</translation>
        </message>
        <message>
            <source>No photo matches well; the nearest is shown</source>
            <translation>没有十分匹配的照片；显示了最接近的一张</translation>
        </message>
        <message>
            <source>No photo matches well; the {0} nearest are shown</source>
            <translation>没有十分匹配的照片；显示了最接近的 {0} 张</translation>
        </message>
        <message>
            <source>{0} match</source>
            <translation>{0} 个匹配</translation>
        </message>
        <message>
            <source>{0} matches</source>
            <translation>{0} 个匹配</translation>
        </message>
        <message>
            <source> ({0} shown)</source>
            <translation>（显示 {0} 个）</translation>
        </message>
        <message>
            <source>{0} in {1} ms{2}</source>
            <translation>{0}，用时 {1} 毫秒{2}</translation>
        </message>
        <message>
            <source>{0} by file or folder name</source>
            <translation>{0} 个按文件或文件夹名匹配</translation>
        </message>
        <message>
            <source>{0} by the text in it</source>
            <translation>{0} 个按照片中的文字匹配</translation>
        </message>
        <message>
            <source>{0} by the text in them</source>
            <translation>{0} 个按照片中的文字匹配</translation>
        </message>
        <message>
            <source> ({0} first)</source>
            <translation>（{0}，排在前面）</translation>
        </message>
        <message>
            <source>, </source>
            <comment>list separator</comment>
            <translation>，</translation>
        </message>
        <message>
            <source>{0} photos/s</source>
            <translation>每秒 {0} 张</translation>
        </message>
        <message>
            <source>{0} failed</source>
            <translation>{0} 张失败</translation>
        </message>
        <message>
            <source>Another PhotoSeek process is indexing this library; results appear here as it works</source>
            <translation>另一个 PhotoSeek 进程正在为此照片库编制索引；结果会随其进度显示在这里</translation>
        </message>
        <message>
            <source>New photos are found now and indexed once the search model is ready</source>
            <translation>现在会查找新照片，待搜索模型就绪后再编入索引</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Indexing paused</source>
            <translation>索引已暂停</translation>
        </message>
        <message>
            <source>{0} of {1} photos indexed</source>
            <translation>已索引 {0} / {1} 张照片</translation>
        </message>
        <message>
            <source>{0} could not be read</source>
            <translation>{0} 张无法读取</translation>
        </message>
        <message>
            <source>{0} not read</source>
            <translation>{0} 张未读取</translation>
        </message>
    </context>
    <context>
        <name>TagButton</name>
        <message>
            <source>Show the photos tagged “{0}”</source>
            <translation>显示带有标签“{0}”的照片</translation>
        </message>
        <message>
            <source>Tag {0}</source>
            <translation>标签 {0}</translation>
        </message>
    </context>
    <context>
        <name>TagsPanel</name>
        <message>
            <source>“{0}” added: its photos are found once the search model is ready.</source>
            <translation>已添加“{0}”：搜索模型就绪后会找出相应的照片。</translation>
        </message>
        <message>
            <source>“{0}” added: no photo shows it yet.</source>
            <translation>已添加“{0}”：目前还没有照片符合。</translation>
        </message>
        <message>
            <source>“{0}” added: 1 photo shows it.</source>
            <translation>已添加“{0}”：有 1 张照片符合。</translation>
        </message>
        <message>
            <source>“{0}” added: {1} photos show it.</source>
            <translation>已添加“{0}”：有 {1} 张照片符合。</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Add a tag…</source>
            <translation>添加标签…</translation>
        </message>
        <message>
            <source>Add a tag</source>
            <translation>添加标签</translation>
        </message>
        <message>
            <source>Type a few words that say what photos show, such as “my red bike”, and press Enter: the photos that show it are tagged.</source>
            <translation>输入几个词描述照片的内容，例如“我的红色自行车”，然后按 Enter：含有该内容的照片都会加上这个标签。</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Photos</source>
            <translation>照片</translation>
        </message>
        <message>
            <source>Tags appear here once the library is open.</source>
            <translation>打开照片库后，标签会显示在这里。</translation>
        </message>
        <message>
            <source>Photos are tagged once they are indexed.</source>
            <translation>照片完成索引后会自动加上标签。</translation>
        </message>
        <message>
            <source>Photos are tagged once the search model is ready.</source>
            <translation>搜索模型就绪后会为照片加上标签。</translation>
        </message>
        <message>
            <source>Tagging photos… their tags appear here when it is done.</source>
            <translation>正在为照片加标签…完成后标签会显示在这里。</translation>
        </message>
        <message>
            <source>Photos are tagged once indexing is done.</source>
            <translation>索引完成后会为照片加上标签。</translation>
        </message>
        <message>
            <source>No tags yet: photos are tagged in the background after indexing.</source>
            <translation>还没有标签：索引完成后会在后台为照片加上标签。</translation>
        </message>
        <message>
            <source>1 photo</source>
            <translation>1 张照片</translation>
        </message>
        <message>
            <source>{0} photos</source>
            <translation>{0} 张照片</translation>
        </message>
        <message>
            <source>{0} (yours)</source>
            <translation>{0}（自定义）</translation>
        </message>
        <message>
            <source>Your tag “{0}”: {1}. Click to show them; right-click to remove the tag.</source>
            <translation>自定义标签“{0}”：{1}。点击显示这些照片；右键点击可删除该标签。</translation>
        </message>
        <message>
            <source>{0}{1}: {2}. Click to show them; click again to stop.</source>
            <translation>{0}{1}：{2}。点击显示这些照片；再次点击取消。</translation>
        </message>
        <message>
            <source>Adding “{0}”…</source>
            <translation>正在添加“{0}”…</translation>
        </message>
        <message>
            <source>Remove Tag “{0}”</source>
            <translation>删除标签“{0}”</translation>
        </message>
        <message>
            <source>Built-in tags cannot be removed</source>
            <translation>内置标签无法删除</translation>
        </message>
        <message>
            <source>That did not work: the log has the details.</source>
            <translation>操作未成功：详情请查看日志。</translation>
        </message>
    </context>
    <context>
        <name>ThumbnailDelegate</name>
        <message>
            <source>Cannot be shown</source>
            <translation>无法显示</translation>
        </message>
    </context>
    <context>
        <name>Timeline</name>
        <message>
            <source>No date</source>
            <translation>无日期</translation>
        </message>
        <message>
            <source>yyyy-MM-dd HH:mm:ss</source>
            <comment>a date and time: a QLocale format</comment>
            <translation>yyyy年M月d日 HH:mm:ss</translation>
        </message>
        <message>
            <source>MMMM yyyy</source>
            <comment>a month's header: a QLocale date format</comment>
            <translation>yyyy年M月</translation>
        </message>
        <message>
            <source>dddd d</source>
            <comment>a day's label in the timeline: a QLocale date format</comment>
            <translation>M月d日 ddd</translation>
        </message>
    </context>
    <context>
        <name>TimelineBar</name>
        <message>
            <source>Jump to year</source>
            <translation>跳转到年份</translation>
        </message>
        <message>
            <source>Scroll to the newest photos of a year</source>
            <translation>滚动到某一年最新的照片</translation>
        </message>
    </context>
    <context>
        <name>TimelineHeaders</name>
        <message>
            <source>1 photo</source>
            <translation>1 张照片</translation>
        </message>
        <message>
            <source>{0} photos</source>
            <translation>{0} 张照片</translation>
        </message>
    </context>
    <context>
        <name>WeightsFileRow</name>
        <message>
            <source>Choose the architecture…</source>
            <translation>选择架构…</translation>
        </message>
        <message>
            <source>The file could not be checked ({0}).</source>
            <translation>无法检查该文件（{0}）。</translation>
        </message>
        <message>
            <source>Use a weights file…</source>
            <translation>使用权重文件…</translation>
        </message>
        <message>
            <source>The architecture the file's weights belong to</source>
            <translation>该文件的权重所属的架构</translation>
        </message>
        <message>
            <source>Use a weights file</source>
            <translation>使用权重文件</translation>
        </message>
        <message>
            <source>Model weights (*.safetensors *.pt *.pth *.bin)</source>
            <translation>模型权重 (*.safetensors *.pt *.pth *.bin)</translation>
        </message>
        <message>
            <source>Reading {0}…</source>
            <translation>正在读取 {0}…</translation>
        </message>
        <message>
            <source>This file fits {0}; choose which it is.</source>
            <translation>该文件适用于 {0}；请选择它属于哪一个。</translation>
        </message>
        <message>
            <source> and </source>
            <translation> 和 </translation>
        </message>
        <message>
            <source>The file does not say its architecture; choose it from the list.</source>
            <translation>该文件未注明其架构；请从列表中选择。</translation>
        </message>
        <message>
            <source>Checking the file against {0}…</source>
            <translation>正在按 {0} 检查文件…</translation>
        </message>
        <message>
            <source>The file fits {0}. OK switches to it.</source>
            <translation>该文件适用于 {0}。点击“确定”即可切换到它。</translation>
        </message>
    </context>
    <context>
        <name>WelcomePage</name>
        <message>
            <source>Welcome to PhotoSeek</source>
            <translation>欢迎使用 PhotoSeek</translation>
        </message>
        <message>
            <source>Find any photo by describing it — “dog on a beach”, “red car at night” — or by dropping a similar photo.
Everything stays on this computer. Choose where your photos are; indexing runs in the background and you can search right away.</source>
            <translation>描述一下就能找到任何照片——如“海滩上的狗”“夜里的红色汽车”——也可以拖入一张相似的照片。
所有内容都保存在这台电脑上。请选择照片所在的位置；索引在后台进行，您可以立即开始搜索。</translation>
        </message>
        <message>
            <source>Add my Pictures folder ({0})</source>
            <translation>添加我的图片文件夹（{0}）</translation>
        </message>
        <message>
            <source>Choose a folder…</source>
            <translation>选择文件夹…</translation>
        </message>
        <message>
            <source>Not now</source>
            <translation>暂不</translation>
        </message>
        <message>
            <source>You can also drop a folder on this window.</source>
            <translation>也可以把文件夹拖到此窗口中。</translation>
        </message>
        <message>
            <source>How to search</source>
            <translation>如何搜索</translation>
        </message>
        <message>
            <source>Choose a folder of photos</source>
            <translation>选择照片文件夹</translation>
        </message>
    </context>
    <context>
        <name>Words</name>
        <message>
            <source>Looking for photos</source>
            <translation>正在查找照片</translation>
        </message>
        <message>
            <source>Indexing</source>
            <translation>正在索引</translation>
        </message>
        <message>
            <source>Preparing the model for this computer</source>
            <translation>正在为这台电脑准备模型</translation>
        </message>
        <message>
            <source>Naming places</source>
            <translation>正在识别地点</translation>
        </message>
        <message>
            <source>Tagging photos</source>
            <translation>正在为照片添加标签</translation>
        </message>
        <message>
            <source>Reading text in photos</source>
            <translation>正在读取照片中的文字</translation>
        </message>
        <message>
            <source>{0} s</source>
            <translation>{0} 秒</translation>
        </message>
        <message>
            <source>{0} min {1} s</source>
            <translation>{0} 分 {1} 秒</translation>
        </message>
        <message>
            <source>{0} h {1} min</source>
            <translation>{0} 小时 {1} 分</translation>
        </message>
        <message>
            <source>{0} left</source>
            <translation>剩余 {0}</translation>
        </message>
        <message>
            <source>Chinese</source>
            <translation>中文</translation>
        </message>
        <message>
            <source>Japanese</source>
            <translation>日文</translation>
        </message>
        <message>
            <source>Korean</source>
            <translation>韩文</translation>
        </message>
        <message>
            <source>Russian and other Cyrillic</source>
            <translation>俄文等西里尔文字</translation>
        </message>
        <message>
            <source>Arabic</source>
            <translation>阿拉伯文</translation>
        </message>
        <message>
            <source>Hebrew</source>
            <translation>希伯来文</translation>
        </message>
        <message>
            <source>Greek</source>
            <translation>希腊文</translation>
        </message>
        <message>
            <source>Thai</source>
            <translation>泰文</translation>
        </message>
        <message>
            <source>Hindi</source>
            <translation>印地文</translation>
        </message>
        <message>
            <source>Bengali</source>
            <translation>孟加拉文</translation>
        </message>
        <message>
            <source>Tamil</source>
            <translation>泰米尔文</translation>
        </message>
        <message>
            <source>Armenian</source>
            <translation>亚美尼亚文</translation>
        </message>
        <message>
            <source>Georgian</source>
            <translation>格鲁吉亚文</translation>
        </message>
        <message>
            <source>that language</source>
            <translation>该语言</translation>
        </message>
        <message>
            <source>The current model reads English only; for {script} searches switch to the multilingual model, {model}, in Settings.</source>
            <translation>当前模型只能理解英文；要用{script}搜索，请在“设置”中切换到多语言模型 {model}。</translation>
        </message>
    </context>
</TS>

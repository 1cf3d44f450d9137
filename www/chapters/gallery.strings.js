// Strings of the chapter "Architecture gallery": keys gallery.*; every en key needs a zh translation.
export default {
  en: {
    'gallery.heading': 'Architecture gallery',
    'gallery.intro':
      'The classic networks, layer by layer: each output shape, parameter count and multiply-adds worked out by the same ' +
      'shape inference as LeNet above — Inception blocks (four branches joined by concatenation) and residual blocks ' +
      '(F(x) + x) included. One entry is written with a mistake, as in many notes: the table shows where its sizes stop ' +
      'adding up.',
    'gallery.network': 'Network',
    'gallery.claimed': 'Claimed',
    'gallery.summary': '{title}: input {input}, {params} parameters, {macs} multiply-adds per image.',
    'gallery.summaryUnknown': '{title}: input {input}. The totals cannot be counted: {problems} rows do not add up.',
    'gallery.problems': '{n} rows do not add up — see the marked rows.',
    'gallery.title.lenet5': 'LeNet-5 (LeCun et al., 1998): 32×32 input, tanh, max pooling',
    'gallery.title.alexnet': 'AlexNet as torchvision builds it: 224×224 input, 64-192-384-256-256 channels',
    'gallery.title.alexnet-paper': 'AlexNet as in the paper (Krizhevsky et al., 2012) on one GPU: no groups, 227×227 input',
    'gallery.title.zfnet': 'ZFNet (Zeiler & Fergus, 2013): 7×7/2 first layer, pooling with ceil_mode as in the paper’s figure',
    'gallery.title.zfnet-mistake': 'ZFNet as a student wrote it down, with the paper’s sizes in the comments. Do they add up?',
    'gallery.tableLabel': 'The layer table; scroll it to see every row and column',
    'gallery.name.lenet5': 'LeNet-5',
    'gallery.name.alexnet': 'AlexNet (torchvision)',
    'gallery.name.alexnet-paper': 'AlexNet (the paper)',
    'gallery.name.zfnet': 'ZFNet',
    'gallery.name.zfnet-mistake': 'ZFNet from a student’s notes',
    'gallery.name.vgg16': 'VGG16',
    'gallery.name.googlenet': 'GoogLeNet',
    'gallery.name.googlenet-aux': 'GoogLeNet with its auxiliary classifiers',
    'gallery.name.resnet18': 'ResNet-18',
    'gallery.title.vgg16': 'VGG16 (Simonyan & Zisserman, 2014) as torchvision builds it',
    'gallery.title.googlenet': 'GoogLeNet (Szegedy et al., 2014) as torchvision builds it, without the auxiliary classifiers',
    'gallery.title.googlenet-aux': 'GoogLeNet (Szegedy et al., 2014) as torchvision builds it, with the two auxiliary classifiers used in training',
    'gallery.title.resnet18': 'ResNet-18 (He et al., 2015) as torchvision builds it',
    'gallery.moduleName': 'torchvision: {name}',
    'gallery.modulePath': 'module: {name}',
    'gallery.unknown': '?',
    'gallery.title.alexnet-paper-groups': 'AlexNet as in the paper (Krizhevsky et al., 2012): conv2, conv4 and conv5 in 2 groups, as on its two GPUs',
    'gallery.aux.heading': 'Auxiliary classifiers (training only)',
    'gallery.aux.text':
      'GoogLeNet adds two small classifiers in the middle of the network. In training their losses are added to the main one ' +
      '(weighted 0.3), pushing gradient into the middle layers; at inference they are dropped. When they are shown, the table ' +
      'and its totals count them.',
    'gallery.aux.toggle': 'Show the auxiliary classifiers',
    'gallery.aux.on': 'Shown and counted: {with} parameters, {extra} of them in the two auxiliary heads. Without them: {without}.',
    'gallery.aux.off': 'Not shown: {without} parameters, what the network has at inference. With the heads: {with} (+{extra}).',
    'gallery.bottleneck.heading': '1×1 bottleneck convolutions',
    'gallery.bottleneck.text':
      'A 1×1 convolution mixes the channels at each pixel without looking at neighbours. Inception puts one before its 3×3 and ' +
      '5×5 convolutions to reduce the channels they read: the expensive window then sees a few dozen channels instead of hundreds. ' +
      'The table counts both paths as in the paper (a bias, no batch norm, 5×5), with the 1×1 reduce and straight from the input.',
    'gallery.bottleneck.block': 'Inception block',
    'gallery.bottleneck.where': '{block}: {c} channels in, {h}×{w} pixels.',
    'gallery.bottleneck.path': 'Path',
    'gallery.bottleneck.pathLabel': '{k}×{k}: {c} → {r} → {out}',
    'gallery.bottleneck.pathWithout': 'without the 1×1: {c} → {out}',
    'gallery.bottleneck.params': 'Parameters',
    'gallery.bottleneck.macs': 'Multiply-adds',
    'gallery.bottleneck.with': 'with 1×1',
    'gallery.bottleneck.without': 'without',
    'gallery.bottleneck.total': 'Both paths',
    'gallery.bottleneck.saving': 'Without the bottlenecks these two paths would need {params} times the parameters and {macs} times the multiply-adds.',
    'gallery.groups.heading': 'Grouped convolution: AlexNet’s two GPUs',
    'gallery.groups.text':
      'The paper trained AlexNet on two GPUs with 3 GB each. conv2, conv4 and conv5 are split in two groups: each half of the ' +
      'output channels reads only the half of the input channels on its own GPU. A layer then has C_out·(C_in/groups)·F·F + C_out ' +
      'parameters, and half the multiply-adds. conv3 and the dense layers read both halves.',
    'gallery.groups.toggle': 'Split into 2 groups, as on the paper’s two GPUs',
    'gallery.groups.layer': 'Layer',
    'gallery.groups.grouped': 'Parameters in 2 groups',
    'gallery.groups.whole': 'Parameters without groups',
    'gallery.groups.row': '{name}: {cin} → {cout}, {k}×{k} (each group reads {per})',
    'gallery.groups.total': 'The whole network',
    'gallery.lrn.heading': 'Local response normalisation',
    'gallery.lrn.text':
      'After the ReLU of conv1 and conv2, each activation is divided by a number that grows with the activations of its ' +
      'neighbouring channels at the same pixel: a strong channel damps its neighbours (the paper’s “lateral inhibition”). ' +
      'Batch normalisation has since replaced it.',
    'gallery.lrn.formula': 'b(c) = a(c) / (k + α · Σ a(j)²)^β, the sum over the n channels j around c; the paper: n = 5, k = 2, α = 10⁻⁴, β = 0.75.',
    'gallery.lrn.params':
      'n, k, α and β are fixed before training: nothing is learned, so its rows show no parameters. In PyTorch: ' +
      'nn.LocalResponseNorm(5, alpha=0.0005, beta=0.75, k=2.0), since PyTorch divides α by n.',
    'gallery.adaptive.heading': 'AdaptiveAvgPool2d: any input size',
    'gallery.adaptive.text':
      'An adaptive average pool is told the size of its output, not its window: it chooses the windows so that whatever ' +
      'arrives, the same size comes out. Output cell i averages the inputs from floor(i·n/out) to ceil((i+1)·n/out); the ' +
      'windows overlap where n is not a multiple of the output. So the classifier after it fits any image large enough.',
    'gallery.adaptive.side': 'Input image side (pixels)',
    'gallery.adaptive.result':
      'A {side}×{side} image reaches the pool as {before} and leaves it as {after}. Parameters: {params}, the same for every ' +
      'size; multiply-adds: {macs}.',
    'gallery.adaptive.windows': 'The windows along each side ({n} → {size}): {windows}',
    'gallery.adaptive.tooSmall': 'A {side}×{side} image is too small for the layers before the pool: {why}',
  },
  zh: {
    'gallery.heading': '经典网络架构',
    'gallery.intro':
      '经典网络逐层展开：每层的输出形状、参数量和乘加次数，都由与上面 LeNet 相同的形状推断算出——' +
      '包括 Inception 模块（四个分支，通过拼接合并）和残差块（F(x) + x）。其中一个条目和许多笔记一样写错了：' +
      '表格会标出它的尺寸从哪一层开始对不上。',
    'gallery.network': '网络',
    'gallery.claimed': '声称的形状',
    'gallery.summary': '{title}：输入 {input}，{params} 个参数，每张图像 {macs} 次乘加。',
    'gallery.summaryUnknown': '{title}：输入 {input}。无法算出总数：有 {problems} 行对不上。',
    'gallery.problems': '有 {n} 行对不上——见标出的行。',
    'gallery.title.lenet5': 'LeNet-5（LeCun 等，1998）：32×32 输入，tanh，最大池化',
    'gallery.title.alexnet': 'torchvision 中的 AlexNet：224×224 输入，通道数 64-192-384-256-256',
    'gallery.title.alexnet-paper': '论文中的 AlexNet（Krizhevsky 等，2012），单 GPU 版：不分组，227×227 输入',
    'gallery.title.zfnet': 'ZFNet（Zeiler 和 Fergus，2013）：第一层 7×7、步幅 2，池化向上取整（ceil_mode），与论文插图一致',
    'gallery.title.zfnet-mistake': '一位学生笔记里的 ZFNet，注释里写着论文中的尺寸。这些尺寸对得上吗？',
    'gallery.tableLabel': '各层的表格；滚动可以看到每一行和每一列',
    'gallery.name.lenet5': 'LeNet-5',
    'gallery.name.alexnet': 'AlexNet（torchvision）',
    'gallery.name.alexnet-paper': 'AlexNet（论文）',
    'gallery.name.zfnet': 'ZFNet',
    'gallery.name.zfnet-mistake': '学生笔记里的 ZFNet',
    'gallery.name.vgg16': 'VGG16',
    'gallery.name.googlenet': 'GoogLeNet',
    'gallery.name.googlenet-aux': 'GoogLeNet（含辅助分类器）',
    'gallery.name.resnet18': 'ResNet-18',
    'gallery.title.vgg16': 'torchvision 中的 VGG16（Simonyan 和 Zisserman，2014）',
    'gallery.title.googlenet': 'torchvision 中的 GoogLeNet（Szegedy 等，2014），不含辅助分类器',
    'gallery.title.googlenet-aux': 'torchvision 中的 GoogLeNet（Szegedy 等，2014），含训练时使用的两个辅助分类器',
    'gallery.title.resnet18': 'torchvision 中的 ResNet-18（He 等，2015）',
    'gallery.moduleName': 'torchvision：{name}',
    'gallery.modulePath': '模块：{name}',
    'gallery.unknown': '?',
    'gallery.title.alexnet-paper-groups': '论文中的 AlexNet（Krizhevsky 等，2012）：conv2、conv4 和 conv5 分成 2 组，与它的两块 GPU 一致',
    'gallery.aux.heading': '辅助分类器（仅训练时使用）',
    'gallery.aux.text':
      'GoogLeNet 在网络中部加了两个小分类器。训练时它们的损失（权重 0.3）加到主损失上，把梯度送进中间各层；' +
      '推理时去掉它们。显示它们时，表格和总数都把它们计算在内。',
    'gallery.aux.toggle': '显示辅助分类器',
    'gallery.aux.on': '已显示并计入：{with} 个参数，其中 {extra} 个在两个辅助分类器里。不含它们：{without}。',
    'gallery.aux.off': '未显示：{without} 个参数，即推理时网络的参数量。含辅助分类器：{with}（+{extra}）。',
    'gallery.bottleneck.heading': '瓶颈层（1×1 卷积）',
    'gallery.bottleneck.text':
      '1×1 卷积只在每个像素上混合各通道，不看相邻像素。Inception 在 3×3 和 5×5 卷积之前各放一个，减少它们要读的通道数：' +
      '代价高的窗口于是只看几十个通道，而不是几百个。下表按论文的做法（有偏置、无批量归一化、5×5）计算两条路径：' +
      '先经过 1×1 降维，以及直接从输入开始。',
    'gallery.bottleneck.block': 'Inception 模块',
    'gallery.bottleneck.where': '{block}：输入 {c} 个通道，{h}×{w} 像素。',
    'gallery.bottleneck.path': '路径',
    'gallery.bottleneck.pathLabel': '{k}×{k}：{c} → {r} → {out}',
    'gallery.bottleneck.pathWithout': '不用瓶颈层：{c} → {out}',
    'gallery.bottleneck.params': '参数',
    'gallery.bottleneck.macs': '乘加次数',
    'gallery.bottleneck.with': '有 1×1',
    'gallery.bottleneck.without': '无 1×1',
    'gallery.bottleneck.total': '两条路径合计',
    'gallery.bottleneck.saving': '如果没有瓶颈层，这两条路径需要 {params} 倍的参数和 {macs} 倍的乘加次数。',
    'gallery.groups.heading': '分组卷积：AlexNet 的两块 GPU',
    'gallery.groups.text':
      '论文在两块各有 3 GB 显存的 GPU 上训练 AlexNet。conv2、conv4 和 conv5 分成两组：每一半输出通道只读取同一块 GPU 上的' +
      '那一半输入通道。这样一层有 C_out·(C_in/groups)·F·F + C_out 个参数，乘加次数也减半。conv3 和全连接层读取两半。',
    'gallery.groups.toggle': '分成 2 组，与论文的两块 GPU 一致',
    'gallery.groups.layer': '层',
    'gallery.groups.grouped': '参数（分 2 组）',
    'gallery.groups.whole': '参数（不分组）',
    'gallery.groups.row': '{name}：{cin} → {cout}，{k}×{k}（每组读取 {per} 个通道）',
    'gallery.groups.total': '整个网络',
    'gallery.lrn.heading': '局部响应归一化',
    'gallery.lrn.text':
      '在 conv1 和 conv2 的 ReLU 之后，每个激活值都除以一个数，这个数随同一像素上相邻通道的激活值增大：' +
      '强的通道会抑制它的邻居（论文所说的“侧抑制”）。后来它被批量归一化取代。',
    'gallery.lrn.formula': 'b(c) = a(c) / (k + α · Σ a(j)²)^β，对 c 周围的 n 个通道 j 求和；论文中 n = 5，k = 2，α = 10⁻⁴，β = 0.75。',
    'gallery.lrn.params':
      'n、k、α 和 β 在训练前就固定了：没有要学习的东西，所以它的行没有参数。在 PyTorch 中写作 ' +
      'nn.LocalResponseNorm(5, alpha=0.0005, beta=0.75, k=2.0)，因为 PyTorch 会把 α 除以 n。',
    'gallery.adaptive.heading': '自适应平均池化（AdaptiveAvgPool2d）：任意输入尺寸',
    'gallery.adaptive.text':
      '自适应平均池化给定的是输出尺寸，而不是窗口：它自己选择窗口，使得不论输入多大，输出尺寸都一样。' +
      '第 i 个输出取 floor(i·n/out) 到 ceil((i+1)·n/out) 之间输入的平均值；n 不是输出尺寸的倍数时，窗口会重叠。' +
      '所以它后面的分类器适用于任何足够大的图像。',
    'gallery.adaptive.side': '输入图像边长（像素）',
    'gallery.adaptive.result': '{side}×{side} 的图像到达池化层时是 {before}，离开时是 {after}。参数：{params}，对每种尺寸都相同；乘加次数：{macs}。',
    'gallery.adaptive.windows': '每条边上的窗口（{n} → {size}）：{windows}',
    'gallery.adaptive.tooSmall': '{side}×{side} 的图像对池化层之前的各层来说太小：{why}',
  },
};

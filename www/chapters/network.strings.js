// Strings of the chapter "Your own network": keys net.*; every en key needs a zh translation.
export default {
  en: {
    'net.heading': 'Your own network',
    'net.intro':
      'Paste a network as your notes write it in PyTorch — an nn.Sequential(...), or a whole class that holds one — or ' +
      'pick an example. As you type, every layer’s output shape, parameters and multiply-adds appear below with the line ' +
      'it came from, and the first place where the sizes stop adding up is marked on its row. Two blocks are built in: ' +
      'Residual(m1, m2, …) computes x + f(x) (with shortcut=nn.Conv2d(…) when the shapes differ, as in ResNet), and ' +
      'Inception(c_in, c1, (c2_reduce, c2), (c3_reduce, c3), c4) is d2l’s block of four paths. “Use this network” makes ' +
      'it the page’s network: train it, step through it layer by layer, draw on it and export it to PyTorch.',
    'net.example': 'Example',
    'net.example.lenet': 'LeNet (d2l 6.6)',
    'net.example.resnet': 'A small ResNet for the digits',
    'net.example.inception': 'A small GoogLeNet (one Inception block)',
    'net.example.alexnet-class': 'AlexNet as a pasted class (d2l 7.1, 224×224)',
    'net.example.zfnet': 'ZFNet from the notes (do its sizes add up?)',
    'net.input': 'Input C, H, W',
    'net.editorLabel': 'PyTorch code of the network',
    'net.build': 'Build the table',
    'net.use': 'Use this network',
    'net.total': 'Parameters:',
    'net.macs': '· {macs} multiply-adds per image',
    'net.line': 'Line',
    'net.moduleName': 'state_dict: {name}.*',
    'net.tableLabel': 'The layer table of your network, with the line of each layer; scroll it to see every row',
    'net.errorAt': 'Line {line}, column {column}: {detail}',
    'net.errorInput': 'Input: {detail}',
    'net.unusable': 'Not for the digits yet: {why}',
    'net.usable': 'This network can be trained on the digits: press “Use this network”.',
    'net.used':
      'The page now uses your network ({params} parameters, fresh weights): train it in “Train LeNet in your browser”, ' +
      'watch every layer in “Forward propagation, layer by layer”, export it in “Export to PyTorch”. Starting from ' +
      '“the trained LeNet” there brings LeNet back.',
    'net.useFailed': 'Your network could not be built: {detail}',
  },
  zh: {
    'net.heading': '你自己的网络',
    'net.intro':
      '把笔记里用 PyTorch 写的网络粘贴进来——一个 nn.Sequential(...)，或包含它的整个类——或选一个示例。你一边输入，下面就列出每一层的' +
      '输出形状、参数量和乘加次数，以及它来自哪一行；尺寸第一次对不上的地方会在那一行标出来。内置两种块：残差块 Residual(m1, m2, …) 计算 ' +
      'x + f(x)（形状不同时用 shortcut=nn.Conv2d(…)，同 ResNet）；Inception(c_in, c1, (c2_reduce, c2), (c3_reduce, c3), c4) 是 ' +
      'd2l 的四路径块。点“使用这个网络”后，它就成为本页的网络：训练它、逐层查看、在画板上识别，并导出到 PyTorch。',
    'net.example': '示例',
    'net.example.lenet': 'LeNet（d2l 6.6）',
    'net.example.resnet': '用于数字的小型 ResNet',
    'net.example.inception': '小型 GoogLeNet（一个 Inception 块）',
    'net.example.alexnet-class': '粘贴的 AlexNet 类（d2l 7.1，224×224）',
    'net.example.zfnet': '笔记里的 ZFNet（尺寸对得上吗？）',
    'net.input': '输入 C, H, W',
    'net.editorLabel': '网络的 PyTorch 代码',
    'net.build': '生成表格',
    'net.use': '使用这个网络',
    'net.total': '参数量：',
    'net.macs': '· 每张图像 {macs} 次乘加',
    'net.line': '行',
    'net.moduleName': 'state_dict：{name}.*',
    'net.tableLabel': '你的网络的逐层表格，含每层所在的代码行；滚动可查看所有行',
    'net.errorAt': '第 {line} 行第 {column} 列：{detail}',
    'net.errorInput': '输入：{detail}',
    'net.unusable': '暂时不能用于数字：{why}',
    'net.usable': '这个网络可以在数字上训练：点“使用这个网络”。',
    'net.used':
      '本页现在使用你的网络（{params} 个参数，权重为新初始化）：在“在浏览器中训练 LeNet”中训练它，在“前向传播，一层一层地看”中' +
      '查看每一层，在“导出到 PyTorch”中导出。在训练一章选择从“训练好的 LeNet”开始，即可换回 LeNet。',
    'net.useFailed': '无法构建你的网络：{detail}',
  },
};

// Strings of the chapter "Sizes of the preset networks": keys table.*; every en key needs a zh translation.
export default {
  en: {
    'table.heading': 'Sizes of the preset networks',
    'table.intro':
      'Each row is one layer. The output shape is written (N, C, H, W): batch, channels, height, width. ' +
      'Every figure below is worked out by the core’s shape inference, using one formula for every window: ' +
      'output = ⌊(W − F + 2P) / S⌋ + 1.',
    'table.preset': 'Network',
    'table.index': '#',
    'table.layer': 'Layer',
    'table.output': 'Output shape',
    'table.params': 'Parameters',
    'table.macs': 'Multiply-adds',
    'table.input': 'Input',
    'table.total': 'Total',
    'table.caption': '{name}: {params} parameters, {macs} multiply-adds per image.',
  },
  zh: {
    'table.heading': '预设网络的各层尺寸',
    'table.intro': '每一行是一层。输出形状写作 (N, C, H, W)：批量大小、通道数、高度、宽度。下面每个数字都由核心的形状推断算出，所有窗口都用同一个公式：输出 = ⌊(W − F + 2P) / S⌋ + 1。',
    'table.preset': '网络',
    'table.index': '#',
    'table.layer': '层',
    'table.output': '输出形状',
    'table.params': '参数量',
    'table.macs': '乘加次数',
    'table.input': '输入',
    'table.total': '合计',
    'table.caption': '{name}：共 {params} 个参数，每张图像 {macs} 次乘加。',
  },
};

// Strings of the chapter "Draw a digit": keys draw.*; every en key needs a zh translation.
export default {
  en: {
    'draw.heading': 'Draw a digit',
    'draw.intro':
      'Draw a digit from 0 to 9 with the mouse, a finger or a pen. A LeNet trained on MNIST digits predicts it as you draw. ' +
      'Your drawing is prepared the way MNIST’s digits were: the ink is fitted into a 20×20 box, keeping its shape, and its ' +
      'centre of mass is moved to the centre of a 28×28 image — the image the network sees.',
    'draw.padLabel': 'Drawing pad: draw a digit here',
    'draw.clear': 'Clear',
    'draw.hint': 'Draw big, in one or a few strokes.',
    'draw.seen': 'What the network sees (28×28)',
    'draw.seenLabel': 'The 28 by 28 image given to the network',
    'draw.prediction': 'Prediction:',
    'draw.probsLabel': 'Probability of each digit',
    'draw.barLabel': 'digit {d}: {p}',
    'draw.latency': 'Prepared, predicted and every feature map drawn in {ms} ms.',
    'draw.samples': 'Sample digits:',
    'draw.random': 'Random test digit',
    'draw.sampleSource': 'On the pad: sample digit {d}, from the test set. Draw to replace it.',
    'draw.testSource': 'On the pad: test digit no. {index}, labelled {label}. Draw to replace it.',
    'draw.yours': 'On the pad: your drawing.',
  },
  zh: {
    'draw.heading': '写一个数字',
    'draw.intro':
      '用鼠标、手指或触控笔写一个 0 到 9 的数字。' +
      '你一边写，一个在 MNIST 手写数字上训练好的 LeNet 就一边给出预测。' +
      '你的笔迹会按照 MNIST 数字当初的处理方式来准备：' +
      '保持形状不变，把笔迹缩放进 20×20 的方框，再把它的质心移到 28×28 图像的中心——这就是网络看到的图像。',
    'draw.padLabel': '画板：在这里写一个数字',
    'draw.clear': '清除',
    'draw.hint': '写大一些，一笔或几笔写完。',
    'draw.seen': '网络看到的图像（28×28）',
    'draw.seenLabel': '输入网络的 28×28 图像',
    'draw.prediction': '预测：',
    'draw.probsLabel': '每个数字的概率',
    'draw.barLabel': '数字 {d}：{p}',
    'draw.latency': '预处理、预测并画出全部特征图，用时 {ms} 毫秒。',
    'draw.samples': '示例数字：',
    'draw.random': '随机一个测试数字',
    'draw.sampleSource': '画板上是：来自测试集的示例数字 {d}。在画板上写字就会替换它。',
    'draw.testSource': '画板上是：第 {index} 号测试数字，标签为 {label}。在画板上写字就会替换它。',
    'draw.yours': '画板上是：你写的数字。',
  },
};

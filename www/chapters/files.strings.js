// Strings of the chapter "Save, load and export": keys files.*, export.*; every en key needs a zh translation.
export default {
  en: {
    'files.heading': 'Save and load the model',
    'files.intro': 'Save the network the drawing pad uses (weights and architecture, in one safetensors file) and load it back later, here or with the cnn command-line tool.',
    'files.save': 'Save model',
    'files.load': 'Load model…',
    'files.saved': 'Saved as {name}.',
    'files.loaded': 'Loaded {model} from {name}. Training continues from these weights.',
    'files.bad': 'Could not load {name}: {detail}. The current model is unchanged.',
    'export.heading': 'Export to PyTorch',
    'export.intro':
      'Take the network to PyTorch: the code builds the same layers as an nn.Sequential, and the weights file holds ' +
      'its state_dict (the names and layouts load_state_dict expects). Put both in one folder and run the code.',
    'export.code': 'Download the PyTorch code',
    'export.weights': 'Download the weights (safetensors)',
    'export.saved': 'Saved {name}.',
  },
  zh: {
    'files.heading': '保存和加载模型',
    'files.intro': '保存画板正在使用的网络（权重和结构，存成一个 safetensors 文件），以后可以在这里或用 cnn 命令行工具重新加载。',
    'files.save': '保存模型',
    'files.load': '加载模型…',
    'files.saved': '已保存为 {name}。',
    'files.loaded': '已从 {name} 加载 {model}。训练会从这些权重继续。',
    'files.bad': '无法加载 {name}：{detail}。当前模型保持不变。',
    'export.heading': '导出到 PyTorch',
    'export.intro':
      '把网络带到 PyTorch：代码用 nn.Sequential 搭出相同的层，权重文件保存它的 state_dict' +
      '（名称和布局正是 load_state_dict 所要求的）。把两个文件放进同一个文件夹，运行代码即可。',
    'export.code': '下载 PyTorch 代码',
    'export.weights': '下载权重（safetensors）',
    'export.saved': '已保存 {name}。',
  },
};

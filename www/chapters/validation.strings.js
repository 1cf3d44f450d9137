// Strings of the chapter "validation": keys ch.validation.*; every en key needs a zh translation.
export default {
  en: {
    'ch.validation.title': 'Validation and cross-validation',
    'ch.validation.intro':
      'A model is judged on data it was not trained on. The training set fits the weights; the validation set chooses everything ' +
      'else — the learning rate, the number of epochs, the network — by comparing scores on data the weights never saw; the test ' +
      'set is kept aside to say, once, how well the final choice does. Here the problem is small: 120 points of two overlapping ' +
      'clouds in the plane, and the model a logistic regression, p = σ(w₁x₁ + w₂x₂ + b), trained by gradient descent in the core.',
    'ch.validation.splitHeading': 'The split',
    'ch.validation.trainVal': 'training and validation: {n}',
    'ch.validation.testPart': 'test: {n}',
    'ch.validation.splitNote':
      'Of the {total} points, {test} are put aside as the test set before anything else happens. The other {n} are for training ' +
      'and validation: one split would hold out a fifth of them, and its score would depend on which fifth.',
    'ch.validation.kfoldHeading': 'K-fold cross-validation',
    'ch.validation.kfoldIntro':
      'Shuffle the points once, cut them into k folds of (nearly) equal size, and train k models: model i learns from every fold ' +
      'but fold i and is scored on fold i. Every point is held out exactly once, and the mean of the k scores estimates the score ' +
      'on new data better than one split can — their spread shows how much one split could have misled you. The cost is training ' +
      'k times.',
    'ch.validation.k': 'Number of folds k',
    'ch.validation.model': 'model {i}',
    'ch.validation.heldShort': 'held out: {n}',
    'ch.validation.keyTrain': 'trained on',
    'ch.validation.keyHeld': 'validated on (held out)',
    'ch.validation.col.model': 'Model',
    'ch.validation.col.trained': 'trained on',
    'ch.validation.col.validated': 'validated on',
    'ch.validation.col.correct': 'right',
    'ch.validation.col.score': 'validation accuracy',
    'ch.validation.meanLabel': 'mean of the {k} scores',
    'ch.validation.mean': 'k = {k}: the mean validation accuracy is {mean}; the folds’ scores range from {lo} to {hi}.',
    'ch.validation.class': 'class {c}',
    'ch.validation.boundary': 'the model’s line p = ½',
    'ch.validation.testPoints': 'test points',
    'ch.validation.caption':
      'Model {i} (press a model’s name above to pick another): the dashed line is where its p = ½; the ringed points are the fold ' +
      'it never saw, {right} of {n} on the right side of the line. The faint points are those it was trained on.',
    'ch.validation.testHeading': 'Why the test set is used once',
    'ch.validation.testIntro':
      'Every time you look at a score and change something because of it, that data helps choose the model — a choice that fits ' +
      'its quirks as well as the pattern. Validation data is there for that. The test set answers one question at the very end: ' +
      'how well does the model you settled on do on data that played no part in any choice? Look at it twice, change something, ' +
      'and it has become validation data: its score is no longer a fair estimate. So train the final model on all the training ' +
      'and validation data and score the test set once.',
    'ch.validation.testRun': 'Score the test set (once)',
    'ch.validation.testScore':
      'One model trained on all {train} training and validation points gets {score} of the {n} test points right. This is the ' +
      'number to report; the button stays pressed.',
  },
  zh: {
    'ch.validation.title': '验证与交叉验证',
    'ch.validation.intro':
      '评判一个模型，要用它没有训练过的数据。训练集用来拟合权重；验证集用来选择其余的一切——学习率、训练轮数、网络结构——方法是比较模型在权重从未见过的数据上的得分；' +
      '测试集则留到最后，只用一次，说明最终的选择表现如何。这里的问题很小：平面上两团相互重叠的点，共 120 个；模型是逻辑回归 p = σ(w₁x₁ + w₂x₂ + b)，由核心用梯度下降训练。',
    'ch.validation.splitHeading': '数据的划分',
    'ch.validation.trainVal': '训练集与验证集：{n}',
    'ch.validation.testPart': '测试集：{n}',
    'ch.validation.splitNote':
      '{total} 个点中，有 {test} 个在一切开始之前就被留作测试集。其余 {n} 个用于训练和验证：只划分一次的话，会留出其中五分之一作验证集，而得分取决于留出的是哪五分之一。',
    'ch.validation.kfoldHeading': 'K 折交叉验证',
    'ch.validation.kfoldIntro':
      '把这些点打乱一次，切成 k 折（大小几乎相等），训练 k 个模型：第 i 个模型用除第 i 折以外的所有折训练，在第 i 折上打分。每个点恰好被留出一次，' +
      'k 个得分的平均值比单次划分更能估计模型在新数据上的得分——而得分的分散程度说明单次划分可能误导你多少。代价是要训练 k 次。',
    'ch.validation.k': '折数 k',
    'ch.validation.model': '模型 {i}',
    'ch.validation.heldShort': '留出：{n}',
    'ch.validation.keyTrain': '用于训练',
    'ch.validation.keyHeld': '用于验证（留出）',
    'ch.validation.col.model': '模型',
    'ch.validation.col.trained': '训练样本数',
    'ch.validation.col.validated': '验证样本数',
    'ch.validation.col.correct': '判对数',
    'ch.validation.col.score': '验证集准确率',
    'ch.validation.meanLabel': '{k} 个得分的平均值',
    'ch.validation.mean': 'k = {k}：验证集准确率的平均值为 {mean}；各折得分从 {lo} 到 {hi}。',
    'ch.validation.class': '类别 {c}',
    'ch.validation.boundary': '模型的分界线 p = ½',
    'ch.validation.testPoints': '测试点',
    'ch.validation.caption':
      '模型 {i}（点击上方的模型名称可换一个）：虚线是它的 p = ½ 处；带圆圈的点是它从未见过的那一折，其中 {right} 个（共 {n} 个）落在线的正确一侧。颜色浅的点是它训练用的点。',
    'ch.validation.testHeading': '为什么测试集只用一次',
    'ch.validation.testIntro':
      '每当你看了一个得分、并因此改动了什么，那份数据就参与了模型的选择——这样的选择既拟合了规律，也拟合了那份数据的偶然特点。验证集就是为此准备的。' +
      '测试集只在最后回答一个问题：你最终选定的模型，在没有参与任何选择的数据上表现如何？看两次、再据此改动，测试集就变成了验证集，它的得分也不再是公正的估计。' +
      '所以，用全部训练和验证数据训练最终模型，然后只在测试集上打一次分。',
    'ch.validation.testRun': '在测试集上打分（仅一次）',
    'ch.validation.testScore': '用全部 {train} 个训练和验证点训练出的一个模型，在 {n} 个测试点中判对了 {score}。这就是应当报告的数字；按钮将保持按下状态。',
  },
};
